import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from contracts.models import CallForProjects, Evaluation, HealthSection, Proposal, TechnicalOpinion
from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    SchemeLink,
    SchemeSignatory,
)
from neighbourhoods.models import (
    CitizenCouncil,
    CitizenCouncilCoverage,
    Epci,
    FamilyMembership,
    Neighbourhood,
    NeighbourhoodLink,
)
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
OPEN_ROWS = {"contracts.reviewanswer": {"review__status": "in_review"}}
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
            # A checklist answer is written while its round is examined: one of the open round.
            everything = model._default_manager.filter(**OPEN_ROWS.get(model._meta.label_lower, {}))
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
    """Rows of every model in Valenciennes, besides the demo's (which has no indicator, link or
    citizen council there)."""
    from portal.api_tokens import ApiTokenUse, token_create

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
    cls = SchemeFactory(cls_contract=True, carrier=carrier)
    cls.communes.set([commune])
    SchemeLink.objects.create(source=scheme, target=cls, kind="component_of")
    body = GovernanceBody.objects.create(scheme=cls, kind="steering")
    GovernanceMember.objects.create(body=body, organisation=carrier, chairs=True)
    GovernanceMeeting.objects.create(body=body, held_on=datetime.date(2016, 3, 1))
    neighbourhoods = Neighbourhood.objects.filter(epci=valenciennes).order_by("pk")
    current, previous = neighbourhoods[0], neighbourhoods[1]
    IndicatorValueFactory(neighbourhood=current)
    FamilyMembership.objects.create(neighbourhood=current, family=TypologyFamilyFactory())
    NeighbourhoodLink.objects.create(previous=previous, current=current, basis="name")
    council = CitizenCouncil.objects.create(name="Conseil citoyen de Valenciennes (test)")
    CitizenCouncilCoverage.objects.create(council=council, neighbourhood=current)
    token, _ = token_create(owner=User.objects.get(username="admin"), name="Observatoire")
    ApiTokenUse.objects.create(token=token, method="GET", path="/api/v1/", status=200)
    InboxMessage.objects.create(
        recipient=User.objects.get(username="coordination"), subject="Volet soumis", body="."
    )
    section = HealthSection.objects.get(contract__carrier_epci=valenciennes)
    _call_and_cycle_rows(section, carrier)
    _open_round(section)


def _open_round(section: HealthSection) -> None:
    """The demo's Valenciennes section is approved: reopened, resubmitted and taken, it has a
    round in review, whose checklist the ARS reviewer writes."""
    from contracts.review_services import health_section_submit, review_reopen, review_take

    ars, coordination = (User.objects.get(username=name) for name in ("ars", "coordination"))
    approved = section.reviews.get(status="approved")
    review_reopen(review=approved, user=ars, reason="Compléments sur la santé mentale.")
    review_take(review=health_section_submit(section=section, user=coordination), user=ars)


def _call_and_cycle_rows(section: HealthSection, carrier) -> None:
    """A call with a health proposal and the coordinator's opinion (the first opinion of
    territory A: the ARS reviewer may not change it), and an evaluation of the section."""
    call = CallForProjects.objects.create(
        contract=section.contract, year=2016, title="Appel à projets 2016", funder=carrier
    )
    proposal = Proposal.objects.create(
        call=call, carrier=carrier, title="Ateliers cuisine", amount_asked=5000
    )
    TechnicalOpinion.objects.create(
        proposal=proposal,
        kind="coordinator",
        author=User.objects.get(username="coordination"),
        verdict="favourable",
        reasons="Répond à l'objectif 2.1.",
    )
    CallForProjects.objects.create(  # and one of territory B, to point at
        contract=HealthSection.objects.get(contract__code="CV2015-MEL").contract,
        year=2016,
        title="Appel à projets 2016",
        funder=carrier,
    )
    Evaluation.objects.create(
        section=section, carried_out_on=datetime.date(2016, 6, 30), findings="Bilan à mi-parcours."
    )


@pytest.fixture(scope="module")
def world(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        valenciennes = Epci.objects.get(siren=VALENCIENNES)
        mel = Epci.objects.get(siren=MEL)
        _territory_a_rows(valenciennes)
        personas = {
            "admin": User.objects.get(username="admin"),
            "coordinator_a": User.objects.get(username="coordination"),
            "coordinator_b": User.objects.get(username="coordination-mel"),  # a demo account
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
