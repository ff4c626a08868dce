"""A small world for the ARS review: one section in the Nord (Hauts-de-France) and the seven
personas of the review (coordinators A and B, ARS reviewers of the region and of another region,
a partner, an anonymous visitor, an administrator)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from contracts.models import HealthSection
from portal.accounts import account_create
from portal.enums import UserRole
from tests.contracts.factories import (
    ActionFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.neighbourhoods.factories import DepartmentFactory, EpciFactory, RegionFactory

PERSONAS = (
    "coordinator_a",
    "coordinator_b",
    "ars_region",
    "ars_other_region",
    "partner",
    "anonymous",
    "admin",
)


@dataclass
class ReviewWorld:
    section: HealthSection
    people: dict

    def __getitem__(self, name):
        return self.people[name]


def review_world() -> ReviewWorld:
    nord = DepartmentFactory(code="59", name="Nord", region=RegionFactory(code="32"))
    gironde = DepartmentFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    epci_a, epci_b = EpciFactory(), EpciFactory()
    contract = CityContractFactory(carrier_epci=epci_a, department=nord)
    section = HealthSectionFactory(contract=contract, is_published=False)
    orientation = ObjectiveFactory(section=section, number="1", level=1, title="Accès aux soins")
    ActionFactory(objective=orientation, title="Bus santé")

    def account(username, role, **kwargs):
        return account_create(
            username=username,
            password="demo",
            role=role,
            email=f"{username}@example.org",
            **kwargs,
        )

    people = {
        "coordinator_a": account("coord-a", UserRole.COORDINATOR, epcis=[epci_a]),
        "coordinator_b": account("coord-b", UserRole.COORDINATOR, epcis=[epci_b]),
        "ars_region": account("ars-hdf", UserRole.ARS_REVIEWER, region=nord.region),
        "ars_other_region": account("ars-na", UserRole.ARS_REVIEWER, departments=[gironde]),
        "partner": account("partenaire", UserRole.PARTNER),
        "anonymous": AnonymousUser(),
        "admin": account("administration", UserRole.ADMIN),
    }
    return ReviewWorld(section=section, people=people)
