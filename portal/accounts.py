"""Accounts and roles: each role is a group carrying the model permissions it needs."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from portal.enums import UserRole
from portal.models import User

EVERY_APP = ("neighbourhoods", "devices", "contracts")

# What each role may do beyond viewing everything. Object-level rules (a coordinator edits
# only their own territory) sit on top of these model permissions.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    UserRole.COORDINATOR: {
        # Coordinators answer the ARS's comments (contracts.review_policy says on which
        # reviews); the review's steps and checklist are not theirs.
        "neighbourhoods": ("citizencouncil", "citizencouncilcoverage"),
        "contracts": (
            "healthsection",
            "objective",
            "action",
            "actionfunding",
            "callforprojects",
            "proposal",
            "technicalopinion",
            "healthdiagnosis",
            "evaluation",
            "reviewcomment",
        ),
        "devices": (
            "scheme",
            "role",
            "person",
            "mediatorpost",
            "funding",
            "healthstructure",
            "schemelink",
            "governancebody",
            "governancemember",
            "governancemeeting",
        ),
    },
    UserRole.ARS_REVIEWER: {
        "contracts": ("review", "reviewanswer", "reviewcomment", "technicalopinion"),
    },
    UserRole.PARTNER: {},
}

ROLE_ACTIONS = {
    UserRole.COORDINATOR: ("add", "change", "delete"),
    UserRole.ARS_REVIEWER: ("add", "change"),
    UserRole.PARTNER: (),
}

GROUP_NAMES = {
    UserRole.COORDINATOR: "Coordination territoriale",
    UserRole.ARS_REVIEWER: "Relecture ARS",
    UserRole.PARTNER: "Partenaires",
}


def role_permissions(role: str) -> Iterable[Permission]:
    codenames = [
        f"{action}_{model}"
        for app, models in ROLE_PERMISSIONS[role].items()
        for model in models
        for action in ROLE_ACTIONS[role]
    ]
    # History tables are read through the journals (portal/history.py), which hide private
    # fields: no role reads them directly.
    return Permission.objects.filter(
        Q(codename__startswith="view_") | Q(codename__in=codenames),
        content_type__app_label__in=EVERY_APP,
    ).exclude(codename__startswith="view_historical")


@transaction.atomic
def role_groups_sync() -> dict[str, Group]:
    """Creates or updates one group per role with exactly the permissions of that role."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(list(role_permissions(role)))
        groups[role] = group
    return groups


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str,
    role: str,
    epcis: Iterable = (),
    organisation=None,
    email: str = "",
    region=None,
    departments: Iterable = (),
) -> User:
    """Creates or updates an account with its role, its group and its territory."""
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.email = email
    user.organisation = organisation
    user.region = region
    user.is_superuser = role == UserRole.ADMIN
    user.is_staff = role in (UserRole.ADMIN, UserRole.COORDINATOR, UserRole.ARS_REVIEWER)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.epcis.set(epcis)
    user.departments.set(departments)
    if role in GROUP_NAMES:
        user.groups.set([role_groups_sync()[role]])
    else:
        user.groups.clear()
    return user
