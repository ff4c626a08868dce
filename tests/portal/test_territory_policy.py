"""The territory policy itself: people without a territory yet, caching, undeclared models."""

import pytest
from django.contrib.contenttypes.models import ContentType

from devices.models import Person, Scheme
from neighbourhoods.territory import (
    can_change,
    can_create,
    is_in_scope,
    readable,
    rule_for,
    scope_for,
)
from tests.devices.factories import OrganisationFactory, PersonFactory, RoleFactory


def test_a_person_with_no_role_yet_may_be_completed_by_any_coordinator(persona):
    newcomer = PersonFactory(
        organisation=OrganisationFactory(kind="ars")
    )  # employer placed nowhere

    assert can_create(persona("coordinator_a"), Person(first_name="Lou", last_name="Neuf"))
    assert can_change(persona("coordinator_a"), newcomer)
    assert can_change(persona("coordinator_b"), newcomer)


def test_a_role_places_the_person_in_the_territory_of_its_scheme(world, persona):
    newcomer = PersonFactory()
    RoleFactory(person=newcomer, scheme=world.row_of_a(Scheme))

    assert can_change(persona("coordinator_a"), newcomer)
    assert not can_change(persona("coordinator_b"), newcomer)


def test_a_person_employed_in_a_territory_belongs_to_it(world, persona):
    commune = world.valenciennes.communes.order_by("pk").first()
    employee = PersonFactory(organisation=OrganisationFactory(commune=commune))

    assert can_change(persona("coordinator_a"), employee)
    assert not can_change(persona("coordinator_b"), employee)


def test_the_territory_and_each_row_are_looked_up_once_per_user(
    world, persona, django_assert_num_queries
):
    user, scheme = persona("coordinator_a"), world.row_of_a(Scheme)
    is_in_scope(user, scheme)

    with django_assert_num_queries(0):
        assert is_in_scope(user, scheme) and is_in_scope(user, scheme)


def test_administrators_and_ars_reviewers_are_bound_to_no_territory(world, persona):
    schemes = Scheme.objects.all()

    assert scope_for(persona("admin"), schemes).count() == schemes.count()
    assert scope_for(persona("ars"), schemes).count() == schemes.count()
    assert scope_for(persona("coordinator_a"), schemes).count() < schemes.count()


def test_a_model_without_a_rule_is_refused_rather_than_open():
    with pytest.raises(LookupError):
        rule_for(ContentType)


def test_staff_read_every_row_and_the_public_what_is_published(world, persona):
    schemes = Scheme.objects.all()

    assert readable(persona("coordinator_b"), schemes).count() == schemes.count()
    assert list(readable(persona("anonymous"), schemes)) == list(schemes.published())
    assert not readable(persona("anonymous"), Person.objects.all()).exists()
