"""A small world for the API's writes: two territories (A: the coordinator's, B: another),
an ARMS scheme with a mediator post in each, a health section approved in territory A."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from contracts.models import Action, HealthSection
from contracts.review_services import health_section_submit, review_approve, review_take
from devices.models import MediatorPost, Organisation, Scheme
from neighbourhoods.models import Epci, Neighbourhood
from portal.accounts import account_create
from portal.enums import UserRole
from tests.contracts.factories import (
    ActionFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.devices.factories import MediatorPostFactory, OrganisationFactory, SchemeFactory
from tests.neighbourhoods.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    NeighbourhoodFactory,
    RegionFactory,
)


@dataclass
class WriteWorld:
    epci_a: Epci
    epci_b: Epci
    qpv_a: Neighbourhood
    qpv_b: Neighbourhood
    scheme_a: Scheme
    scheme_b: Scheme
    post_a: MediatorPost
    post_b: MediatorPost
    employer: Organisation
    section: HealthSection
    action: Action
    people: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.people[name]


def write_world() -> WriteWorld:
    nord = DepartmentFactory(code="59", name="Nord", region=RegionFactory(code="32"))
    epci_a, epci_b = EpciFactory(name="Valenciennes Métropole"), EpciFactory(name="MEL")
    commune_a = CommuneFactory(epci=epci_a, department=nord, name="Valenciennes")
    commune_b = CommuneFactory(epci=epci_b, department=nord, name="Lille")
    qpv_a = NeighbourhoodFactory(code="QN05901A", epci=epci_a, communes=[commune_a])
    qpv_b = NeighbourhoodFactory(code="QN05901B", epci=epci_b, communes=[commune_b])
    scheme_a = SchemeFactory(arms=True, name="ARMS Valenciennes", is_published=True)
    scheme_a.epcis.set([epci_a])
    scheme_b = SchemeFactory(arms=True, name="ARMS Lille", is_published=True)
    scheme_b.epcis.set([epci_b])
    employer = OrganisationFactory(ccas=True, name="CCAS de Valenciennes")
    post_a = MediatorPostFactory(scheme=scheme_a, employer=employer)
    post_a.neighbourhoods.set([qpv_a])
    post_b = MediatorPostFactory(scheme=scheme_b)
    post_b.neighbourhoods.set([qpv_b])

    contract = CityContractFactory(carrier_epci=epci_a, department=nord)
    section = HealthSectionFactory(contract=contract, is_published=False)
    orientation = ObjectiveFactory(section=section, number="2", level=1)
    ObjectiveFactory(section=section, number="2.1", level=2, parent=orientation, title="Nutrition")
    action = ActionFactory(objective=orientation, title="Bus santé", start_year=2016)

    def account(username, role, **kwargs):
        return account_create(
            username=username, password="demo", role=role, email=f"{username}@example.org", **kwargs
        )

    world = WriteWorld(
        epci_a, epci_b, qpv_a, qpv_b, scheme_a, scheme_b, post_a, post_b, employer, section, action
    )
    world.people = {
        "coordinator_a": account("coord-a", UserRole.COORDINATOR, epcis=[epci_a]),
        "coordinator_b": account("coord-b", UserRole.COORDINATOR, epcis=[epci_b]),
        "ars": account("ars-hdf", UserRole.ARS_REVIEWER, region=nord.region),
        "partner": account("partenaire", UserRole.PARTNER),
        "admin": account("administration", UserRole.ADMIN),
        "anonymous": AnonymousUser(),
    }
    return world


def approve(world: WriteWorld) -> None:
    """Plays the review through its services: submitted, taken and approved."""
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=review, user=world["ars"])
    review_approve(review=review, user=world["ars"])
    world.section.refresh_from_db()


START = datetime.date(2016, 1, 1)
