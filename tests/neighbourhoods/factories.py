import factory

from neighbourhoods.models import (
    CitizenCouncil,
    CitizenCouncilCoverage,
    Commune,
    Department,
    Epci,
    Indicator,
    IndicatorValue,
    Neighbourhood,
    Region,
    Typology,
    TypologyFamily,
)
from neighbourhoods.validators import luhn_valid


def valid_siren(base: int) -> str:
    """Eight digits and the Luhn key that makes them a SIREN."""
    return next(f"{base:08d}{d}" for d in range(10) if luhn_valid(f"{base:08d}{d}"))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "32"
    name = "Hauts-de-France"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "59"
    name = "Nord"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    siren = factory.Sequence(lambda n: valid_siren(20_000_000 + n))
    name = factory.Sequence(lambda n: f"Communauté d'agglomération n° {n}")
    nature = "CA"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    # Department 96 does not exist: never one of the demo's or the reference's codes.
    insee_code = factory.Sequence(lambda n: f"96{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    epci = factory.SubFactory(EpciFactory)
    population = 12000


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        skip_postgeneration_save = True

    # Department 9xx does not exist: never one of the demo's or the reference's codes.
    code = factory.Sequence(lambda n: f"QN9{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"Quartier {n}")
    vintage = 2024
    epci = factory.SubFactory(EpciFactory)

    class Params:
        geography_2015 = factory.Trait(
            vintage=2015, code=factory.Sequence(lambda n: f"QP059{n % 1000:03d}")
        )

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create:
            self.communes.set(extracted or [CommuneFactory(epci=self.epci)])


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = "tp60"
    label = "Taux de pauvreté au seuil de 60 %"
    unit = "percent"
    source = "INSEE, revenus localisés"
    vintage = "2017"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    year = 2017
    value = 45


class TypologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Typology
        django_get_or_create = ("code",)

    code = "insee-hdf-2016"
    name = "Typologie INSEE Hauts-de-France"
    source = "INSEE"
    vintage = "2016"


class TypologyFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TypologyFamily

    typology = factory.SubFactory(TypologyFactory)
    code = factory.Sequence(lambda n: f"famille-{n}")
    label = factory.Sequence(lambda n: f"Famille {n}")
    colour = "#2e8b57"


class CitizenCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenCouncil
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Conseil citoyen {n}")

    @factory.post_generation
    def neighbourhoods(self, create, extracted, **kwargs):
        """``CitizenCouncilFactory(neighbourhoods=[qpv, …])`` covers them."""
        if create:
            for neighbourhood in extracted or ():
                CitizenCouncilCoverage.objects.create(council=self, neighbourhood=neighbourhood)
