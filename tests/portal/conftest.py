from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from contracts.models import HealthSection
from devices.models import Funding, SchemeSignatory
from neighbourhoods.models import Epci, FamilyMembership, Neighbourhood, NeighbourhoodLink
from neighbourhoods.territory import rule_for, scope_for
from portal.accounts import account_create
from portal.enums import UserRole
from portal.models import InboxMessage, User
from tests.devices.factories import (
    MediatorPostFactory,
    OrganisationFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.neighbourhoods.factories import IndicatorValueFactory, TypologyFamilyFactory

VALENCIENNES = "245901160"
MEL = "200093201"


@dataclass
class World:
    """Personas and, for every model, a row of territory A (Valenciennes Métropole)."""

    personas: dict[str, object]
    valenciennes: Epci
    mel: Epci

    def row_of_a(self, model: type[Model]) -> Model:
        if rule_for(model).shared:
            row = model._default_manager.order_by("pk").first()
        else:
            everything = model._default_manager.all()
            theirs = scope_for(self.personas["coordinator_b"], everything).values("pk")
            row = (
                scope_for(self.personas["coordinator_a"], everything)
                .exclude(pk__in=theirs)
                .order_by("pk")
                .first()
            )
        assert row is not None, f"no row of territory A for {model._meta.label}"
        return row


def _territory_a_rows(valenciennes: Epci) -> None:
    """The demo has no scheme, indicator or link in Valenciennes: add one of each."""
    from rest_framework.authtoken.models import Token

    commune = valenciennes.communes.order_by("pk").first()
    carrier = OrganisationFactory(commune=commune)
    scheme = SchemeFactory(carrier=carrier)
    scheme.communes.set([commune])
    role = RoleFactory(scheme=scheme)
    role.person.organisation = carrier
    role.person.save()
    MediatorPostFactory(scheme=scheme, mediator=role.person)
    Funding.objects.create(scheme=scheme, funder=carrier, year=2020, programme="p147", amount=1)
    SchemeSignatory.objects.create(scheme=scheme, organisation=carrier, role="commune")
    neighbourhoods = Neighbourhood.objects.filter(epci=valenciennes).order_by("pk")
    current, previous = neighbourhoods[0], neighbourhoods[1]
    IndicatorValueFactory(neighbourhood=current)
    FamilyMembership.objects.create(neighbourhood=current, family=TypologyFamilyFactory())
    NeighbourhoodLink.objects.create(previous=previous, current=current, basis="name")
    Token.objects.create(user=User.objects.get(username="admin"))
    InboxMessage.objects.create(
        recipient=User.objects.get(username="coordination"), subject="Volet soumis", body="."
    )
    assert HealthSection.objects.filter(contract__carrier_epci=valenciennes).exists()


@pytest.fixture(scope="module")
def world(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        valenciennes = Epci.objects.get(siren=VALENCIENNES)
        mel = Epci.objects.get(siren=MEL)
        _territory_a_rows(valenciennes)
        personas = {
            "admin": User.objects.get(username="admin"),
            "coordinator_a": User.objects.get(username="coordination"),
            "coordinator_b": account_create(
                username="coordination-mel",
                password="demo",
                role=UserRole.COORDINATOR,
                epcis=[mel],
            ),
            "ars": User.objects.get(username="ars"),
            "partner": account_create(
                username="partenaire", password="demo", role=UserRole.PARTNER
            ),
            "anonymous": AnonymousUser(),
        }
    return World(personas=personas, valenciennes=valenciennes, mel=mel)


@pytest.fixture
def persona(world, db):
    """A fresh copy of a persona: no territory or permission cached from another test."""

    def get(name):
        user = world.personas[name]
        return user if not user.is_authenticated else User.objects.get(pk=user.pk)

    return get
