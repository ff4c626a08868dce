"""Links between schemes (seed 003: « L'ASV devient ainsi un volet territorial du CLS »)."""

import pytest

from devices.models import SchemeLink
from tests.devices.factories import SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


def test_an_asv_is_a_territorial_component_of_a_cls():
    link = SchemeLink(
        source=SchemeFactory(), target=SchemeFactory(cls_contract=True), kind="component_of"
    )

    link.full_clean()


def test_a_clsm_may_be_a_component_of_a_cls():
    SchemeLink(
        source=SchemeFactory(clsm=True),
        target=SchemeFactory(cls_contract=True),
        kind="component_of",
    ).full_clean()


@pytest.mark.parametrize(("source", "target"), [("CLS", "ASV"), ("ASV", "CLSM"), ("ARMS", "CLS")])
def test_only_an_asv_or_a_clsm_is_a_component_of_a_cls(source, target):
    link = SchemeLink(
        source=SchemeFactory(kind=source), target=SchemeFactory(kind=target), kind="component_of"
    )

    assert_invalid(link, "volet territorial d'un CLS")


def test_any_two_schemes_may_coordinate():
    SchemeLink(
        source=SchemeFactory(clsm=True), target=SchemeFactory(), kind="coordinated_with"
    ).full_clean()


def test_a_scheme_is_not_linked_to_itself():
    asv = SchemeFactory()
    link = SchemeLink(source=asv, target=asv, kind="coordinated_with")

    assert_invalid(link, "lié à lui-même")
    assert_database_rejects(link)


def test_a_link_is_not_recorded_twice():
    asv, cls = SchemeFactory(), SchemeFactory(cls_contract=True)
    SchemeLink.objects.create(source=asv, target=cls, kind="component_of")
    again = SchemeLink(source=asv, target=cls, kind="component_of")

    assert_invalid(again, "existe déjà")
    assert_database_rejects(again)


def test_coordination_goes_both_ways():
    asv, clsm = SchemeFactory(), SchemeFactory(clsm=True)
    SchemeLink.objects.create(source=asv, target=clsm, kind="coordinated_with")
    reverse = SchemeLink(source=clsm, target=asv, kind="coordinated_with")

    assert_invalid(reverse, "déjà coordonnés")
    assert_database_rejects(reverse)


def test_a_component_link_back_is_not_a_coordination_duplicate():
    asv, cls = SchemeFactory(), SchemeFactory(cls_contract=True)
    SchemeLink.objects.create(source=asv, target=cls, kind="component_of")

    SchemeLink(source=asv, target=cls, kind="coordinated_with").full_clean()
