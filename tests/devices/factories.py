import datetime

import factory

from devices.models import (
    HealthStructure,
    MediatorPost,
    Organisation,
    Person,
    Role,
    Scheme,
)
from tests.neighbourhoods.factories import CommuneFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "commune"

    class Params:
        hospital = factory.Trait(kind="hospital", name=factory.Sequence(lambda n: f"EPSM {n}"))
        ccas = factory.Trait(kind="ccas", name=factory.Sequence(lambda n: f"CCAS {n}"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    kind = "ASV"
    name = factory.Sequence(lambda n: f"Territoire {n}")
    carrier = factory.SubFactory(OrganisationFactory)

    class Params:
        cls_contract = factory.Trait(
            kind="CLS", generation=1, signed_on=datetime.date(2015, 12, 17)
        )
        clsm = factory.Trait(kind="CLSM")
        arms = factory.Trait(kind="ARMS")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    kind = "coordinator"
    scheme = factory.SubFactory(SchemeFactory)
    fte = "0.50"


class MediatorPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediatorPost

    scheme = factory.SubFactory(SchemeFactory, arms=True)
    employer = factory.SubFactory(OrganisationFactory, ccas=True)
    start_date = datetime.date(2016, 1, 1)
    end_date = datetime.date(2018, 12, 31)


class HealthStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthStructure

    kind = "msp"
    name = factory.Sequence(lambda n: f"Maison de santé {n}")
    commune = factory.SubFactory(CommuneFactory)
    doctors = 2
    paramedics = 1
