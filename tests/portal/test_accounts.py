import pytest

from portal.accounts import account_create
from portal.enums import UserRole


@pytest.fixture
def make_account(db):
    def make(role):
        return account_create(username=f"user-{role}", password="demo", role=role)

    return make


def test_a_coordinator_edits_actions_but_not_reviews(make_account):
    user = make_account(UserRole.COORDINATOR)

    assert user.is_staff and not user.is_superuser
    assert user.has_perm("contracts.change_action")
    assert user.has_perm("devices.change_scheme")
    assert not user.has_perm("contracts.change_review")
    assert not user.has_perm("contracts.change_citycontract")


def test_an_ars_reviewer_reviews_but_does_not_edit_actions(make_account):
    user = make_account(UserRole.ARS_REVIEWER)

    assert user.is_staff
    assert user.has_perm("contracts.change_review")
    assert user.has_perm("contracts.add_reviewcomment")
    assert user.has_perm("contracts.view_action")
    assert not user.has_perm("contracts.change_action")


def test_a_partner_only_reads_and_has_no_admin(make_account):
    user = make_account(UserRole.PARTNER)

    assert not user.is_staff
    assert user.has_perm("neighbourhoods.view_neighbourhood")
    assert not user.has_perm("contracts.change_action")
    assert not user.has_perm("contracts.change_review")


def test_nobody_but_the_admin_manages_accounts(make_account):
    for role in (UserRole.COORDINATOR, UserRole.ARS_REVIEWER, UserRole.PARTNER):
        assert not make_account(role).has_perm("portal.change_user")
    assert make_account(UserRole.ADMIN).has_perm("portal.change_user")


def test_changing_a_role_replaces_the_group(make_account):
    make_account(UserRole.COORDINATOR)

    user = account_create(username="user-coordinator", password="demo", role=UserRole.PARTNER)

    assert list(user.groups.values_list("name", flat=True)) == ["Partenaires"]
    assert not user.is_staff
