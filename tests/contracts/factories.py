import datetime
from decimal import Decimal

import factory

from contracts.models import (
    Action,
    CallForProjects,
    CityContract,
    Evaluation,
    HealthDiagnosis,
    HealthSection,
    Objective,
    Proposal,
)
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


class CallForProjectsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForProjects

    contract = factory.SubFactory(CityContractFactory)
    year = 2016
    title = factory.Sequence(lambda n: f"Appel à projets n° {n}")
    funder = factory.SubFactory(OrganisationFactory, kind="epci")


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    call = factory.SubFactory(CallForProjectsFactory)
    carrier = factory.SubFactory(OrganisationFactory, kind="association")
    title = factory.Sequence(lambda n: f"Action proposée {n}")
    amount_asked = Decimal("5000.00")


class HealthDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthDiagnosis

    carried_out_on = datetime.date(2015, 3, 1)
    summary = "Diagnostic local de santé partagé."


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    carried_out_on = datetime.date(2018, 6, 30)
    findings = "Bilan de la programmation."
