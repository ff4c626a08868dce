"""Who may create, change, delete and attach to a row of territory A, for every model the admin
writes (registered or inline) and every persona.

Generated from the admin registry: a model registered later without a line in EXPECTATIONS fails
``test_every_model_of_the_admin_has_an_expectation``, and its cells run as soon as it has one.
"""

import pytest
from django.contrib import admin
from django.forms.models import _get_foreign_key
from django.test import RequestFactory

from neighbourhoods.territory import can_attach, can_create

ADMIN, COORDINATORS, ARS = "administrators", "coordinators", "ARS reviewers"
# Each writes the opinions of their own kind (the row of A is the coordinator's opinion).
OPINION_GIVERS = "coordinators and ARS reviewers, each their own kind"
SHARED, TERRITORIAL = "shared", "territorial"

# model label: (who writes it besides administrators, may anyone who writes attach to it)
EXPECTATIONS = {
    "auth.group": (ADMIN, SHARED),
    "portal.apitoken": (ADMIN, SHARED),
    "portal.apitokenuse": (ADMIN, SHARED),
    "portal.user": (ADMIN, SHARED),
    "neighbourhoods.region": (ADMIN, SHARED),
    "neighbourhoods.department": (ADMIN, SHARED),
    "neighbourhoods.indicator": (ADMIN, SHARED),
    "neighbourhoods.typology": (ADMIN, SHARED),
    "neighbourhoods.typologyfamily": (ADMIN, SHARED),
    "neighbourhoods.epci": (ADMIN, TERRITORIAL),
    "neighbourhoods.commune": (ADMIN, TERRITORIAL),
    "neighbourhoods.neighbourhood": (ADMIN, TERRITORIAL),
    "neighbourhoods.indicatorvalue": (ADMIN, TERRITORIAL),
    "neighbourhoods.familymembership": (ADMIN, TERRITORIAL),
    "neighbourhoods.neighbourhoodlink": (ADMIN, TERRITORIAL),
    "neighbourhoods.citizencouncil": (COORDINATORS, TERRITORIAL),
    "neighbourhoods.citizencouncilcoverage": (COORDINATORS, TERRITORIAL),
    "devices.organisation": (ADMIN, SHARED),
    "devices.thematic": (ADMIN, SHARED),
    "devices.scheme": (COORDINATORS, TERRITORIAL),
    "devices.schemesignatory": (ADMIN, TERRITORIAL),
    "devices.role": (COORDINATORS, TERRITORIAL),
    "devices.person": (COORDINATORS, TERRITORIAL),
    "devices.mediatorpost": (COORDINATORS, TERRITORIAL),
    "devices.funding": (COORDINATORS, TERRITORIAL),
    "devices.healthstructure": (COORDINATORS, TERRITORIAL),
    "devices.schemelink": (COORDINATORS, TERRITORIAL),
    "devices.governancebody": (COORDINATORS, TERRITORIAL),
    "devices.governancemember": (COORDINATORS, TERRITORIAL),
    "devices.governancemeeting": (COORDINATORS, TERRITORIAL),
    "contracts.citycontract": (ADMIN, TERRITORIAL),
    "contracts.signatory": (ADMIN, TERRITORIAL),
    "contracts.healthsection": (COORDINATORS, TERRITORIAL),
    "contracts.objective": (COORDINATORS, TERRITORIAL),
    "contracts.action": (COORDINATORS, TERRITORIAL),
    "contracts.actionfunding": (COORDINATORS, TERRITORIAL),
    "contracts.review": (ARS, TERRITORIAL),
    "contracts.reviewanswer": (ARS, TERRITORIAL),
    "contracts.reviewcomment": (ARS, TERRITORIAL),
    "contracts.callforprojects": (COORDINATORS, TERRITORIAL),
    "contracts.proposal": (COORDINATORS, TERRITORIAL),
    "contracts.technicalopinion": (OPINION_GIVERS, TERRITORIAL),
    "contracts.healthdiagnosis": (COORDINATORS, TERRITORIAL),
    "contracts.evaluation": (COORDINATORS, TERRITORIAL),
    "portal.inboxmessage": (ADMIN, SHARED),
}
# The ARS review follows its own policy (contracts/review_policy.py) on top of the territory:
# rounds are opened by submitting the section, never added nor deleted; the round of territory
# A (in review) is commented by its coordinator and by the ARS reviewer of its department, whose
# checklist only that reviewer answers; inbox messages are written by the portal only.
# (model, action): personas allowed.
REVIEW_POLICY = {
    ("contracts.review", "create"): set(),
    ("contracts.review", "change"): {"admin", "coordinator_a", "ars"},
    ("contracts.review", "delete"): set(),
    ("contracts.reviewanswer", "create"): set(),
    ("contracts.reviewanswer", "change"): {"admin", "ars"},
    ("contracts.reviewanswer", "delete"): set(),
    ("contracts.reviewcomment", "create"): {"admin", "coordinator_a", "ars"},
    ("portal.inboxmessage", "create"): set(),
    ("portal.inboxmessage", "change"): set(),
    ("portal.inboxmessage", "delete"): set(),
    # API tokens are created by their owners (« Mes jetons d'API »), never in the admin, where
    # administrators read them and their usage log and may only revoke them (an action).
    ("portal.apitoken", "create"): set(),
    ("portal.apitoken", "change"): set(),
    ("portal.apitoken", "delete"): set(),
    ("portal.apitokenuse", "create"): set(),
    ("portal.apitokenuse", "change"): set(),
    ("portal.apitokenuse", "delete"): set(),
}
# Posted as they are, by anyone: a correction is a new comment.
NEVER_CHANGED = {"contracts.reviewcomment"}
PERSONAS = ("admin", "coordinator_a", "coordinator_b", "ars", "partner", "anonymous")
ACTIONS = ("create", "change", "delete", "attach via FK", "attach via M2M")


def admin_writers():
    """Every model the admin writes, with the admin class writing it: its own, or the inline
    of the first registered parent (model, inline class, parent model)."""
    writers = {model: (model_admin, None) for model, model_admin in admin.site._registry.items()}
    for parent, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            fk = _get_foreign_key(parent, inline.model, inline.fk_name)
            writers.setdefault(inline.model, (inline(parent, admin.site), fk.name))
    return writers


WRITERS = admin_writers()


def attach_targets(kind: str) -> set:
    """Models some written model points at with a foreign key (or a many-to-many)."""
    return {
        field.related_model
        for model in WRITERS
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.many_to_many == (kind == "M2M")
    }


def label(model) -> str:
    return model._meta.label_lower


CELLS = [
    pytest.param(model, action, persona, id=f"{label(model)}-{action}-{persona}")
    for model in sorted(WRITERS, key=label)
    for action in ACTIONS
    for persona in PERSONAS
    if not action.startswith("attach") or model in attach_targets(action.split()[-1])
]


def expected(model, action: str, persona: str) -> bool:
    writer, attach = EXPECTATIONS[label(model)]
    if (label(model), action) in REVIEW_POLICY:
        return persona in REVIEW_POLICY[label(model), action]
    attaching = action.startswith("attach")
    if label(model) in NEVER_CHANGED and action in ("change", "delete"):
        return False
    if persona == "admin":
        return True
    if persona in ("partner", "anonymous"):
        return False
    if persona == "coordinator_a":
        return attaching or writer in (COORDINATORS, OPINION_GIVERS)
    if persona == "coordinator_b":
        return attaching and attach == SHARED
    # The ARS reviewer is bound to no territory but writes only reviews and their comments.
    if writer == OPINION_GIVERS:
        # They give their own opinion, never change or delete the coordinator's.
        return attaching or action == "create"
    return attaching or (writer == ARS and action != "delete")


def verdict(model, action: str, user, row) -> bool:
    model_admin, fk_name = WRITERS[model]
    request = RequestFactory().get("/")
    request.user = user
    # An inline-only model is written through its parent's page.
    target = getattr(row, fk_name) if fk_name else row
    if action == "create":
        if fk_name:
            return model_admin.has_add_permission(request, target) and can_create(user, row)
        return model_admin.has_add_permission(request) and can_create(user, row)
    if action == "change":
        return model_admin.has_change_permission(request, target)
    if action == "delete":
        return model_admin.has_delete_permission(request, target)
    return can_attach(user, row)


def test_every_model_of_the_admin_has_an_expectation():
    assert sorted(label(model) for model in WRITERS) == sorted(EXPECTATIONS)


@pytest.mark.parametrize(("model", "action", "persona_name"), CELLS)
def test_permission_matrix(world, persona, model, action, persona_name):
    row = world.row_of_a(model)

    assert verdict(model, action, persona(persona_name), row) is expected(
        model, action, persona_name
    )
