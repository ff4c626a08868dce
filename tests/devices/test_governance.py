"""A CLS's governance (seed 004: « Gouvernance : un COPIL piloté Elu/DT, un COTECH et des
groupes de travail »)."""

import datetime

import pytest
from django.urls import reverse

from devices.models import GovernanceBody, GovernanceMeeting, GovernanceMember
from devices.rules import steering_chairs_missing
from tests.devices.factories import OrganisationFactory, RoleFactory, SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


@pytest.fixture
def copil():
    return GovernanceBody.objects.create(scheme=SchemeFactory(cls_contract=True), kind="steering")


def test_governance_bodies_are_those_of_a_cls():
    body = GovernanceBody(scheme=SchemeFactory(), kind="steering")

    assert_invalid(body, "d'un CLS")


def test_a_cls_has_one_body_of_each_kind(copil):
    GovernanceBody(scheme=copil.scheme, kind="technical").full_clean()
    again = GovernanceBody(scheme=copil.scheme, kind="steering")

    assert_invalid(again, "déjà cette instance")
    assert_database_rejects(again)


def test_a_member_is_an_organisation_or_a_person_in_a_role(copil):
    GovernanceMember(body=copil, organisation=OrganisationFactory(kind="ars")).full_clean()
    GovernanceMember(body=copil, role=RoleFactory()).full_clean()
    nobody = GovernanceMember(body=copil)
    both = GovernanceMember(body=copil, organisation=OrganisationFactory(), role=RoleFactory())

    for member in (nobody, both):
        assert_invalid(member, "pas les deux")
        assert_database_rejects(member)


def test_an_organisation_sits_once_in_a_body(copil):
    ars = OrganisationFactory(kind="ars")
    GovernanceMember.objects.create(body=copil, organisation=ars, chairs=True)
    again = GovernanceMember(body=copil, organisation=ars)

    assert_invalid(again, "siège déjà")
    assert_database_rejects(again)


def test_a_person_in_a_role_sits_once_in_a_body(copil):
    role = RoleFactory(kind="elected_lead")
    GovernanceMember.objects.create(body=copil, role=role, chairs=True)
    again = GovernanceMember(body=copil, role=role)

    assert_invalid(again, "siège déjà")
    assert_database_rejects(again)


def test_a_body_meets_once_a_day(copil):
    GovernanceMeeting.objects.create(body=copil, held_on=datetime.date(2016, 3, 1))
    again = GovernanceMeeting(body=copil, held_on=datetime.date(2016, 3, 1))

    assert_invalid(again, "déjà réunie")
    assert_database_rejects(again)


def test_a_meeting_date_is_plausible(copil):
    typo = GovernanceMeeting(body=copil, held_on=datetime.date(216, 3, 1))

    assert_invalid(typo, "entre 1990 et 2100")
    assert_database_rejects(typo)


def test_a_copil_is_chaired_by_the_elected_official_and_the_ars_delegation(copil):
    elected = RoleFactory(kind="elected_lead", scheme=copil.scheme)
    GovernanceMember.objects.create(body=copil, role=elected, chairs=True)
    delegation = OrganisationFactory(kind="ars_delegation")
    seat = GovernanceMember.objects.create(body=copil, organisation=delegation)
    assert steering_chairs_missing(copil, copil.members.all()) == [
        "la délégation territoriale de l'ARS"
    ]

    seat.chairs = True
    seat.save()

    assert steering_chairs_missing(copil, copil.members.all()) == []


def test_an_unchaired_copil_misses_both_chairs(copil):
    GovernanceMember.objects.create(body=copil, role=RoleFactory(kind="elected_lead"))

    assert steering_chairs_missing(copil, copil.members.all()) == [
        "l'élu·e référent·e",
        "la délégation territoriale de l'ARS",
    ]


def test_the_copil_page_says_who_does_not_chair_yet(admin_client, copil):
    page = admin_client.get(reverse("admin:devices_governancebody_change", args=[copil.pk]))

    assert "ne co-préside pas encore l&#x27;élu·e référent·e" in page.content.decode()
