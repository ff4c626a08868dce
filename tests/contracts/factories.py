import factory

from contracts.models import Action, CityContract, HealthSection, Objective
from tests.devices.factories import OrganisationFactory
from tests.neighbourhoods.factories import EpciFactory


class CityContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityContract

    code = factory.Sequence(lambda n: f"CN{n:05d}")
    name = factory.Sequence(lambda n: f"Contrat de ville n° {n}")
    generation = "2024-2030"
    carrier_epci = factory.SubFactory(EpciFactory)


class HealthSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthSection

    contract = factory.SubFactory(CityContractFactory)
    title = "Volet santé"
    is_published = True


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    section = factory.SubFactory(HealthSectionFactory)
    level = 1
    number = "2"
    title = "Promouvoir la santé et faciliter l'accès aux soins"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    carrier = factory.SubFactory(OrganisationFactory)
