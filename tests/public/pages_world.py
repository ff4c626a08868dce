"""A small public world for the detail pages: one 2024 neighbourhood (with contour) and its
2015 predecessor in a commune of an EPCI, indicators (one secret), an INSEE family, a citizen
council, published and unpublished schemes and structures, a coordinator who agreed to publish
a professional contact (and has private ones), an ARMS post, and a contract whose health section
was approved once and edited since. ``grow(world, n)`` adds n rows of every related kind."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from contracts.models import HealthSection
from contracts.review_services import health_section_submit, review_approve, review_take
from devices.models import Funding, SchemeLink, Thematic
from neighbourhoods.models import NeighbourhoodLink
from tests.contracts.factories import ActionFactory, ObjectiveFactory
from tests.contracts.review_world import review_world
from tests.devices.factories import (
    HealthStructureFactory,
    MediatorPostFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.neighbourhoods.factories import (
    CitizenCouncilFactory,
    CommuneFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
    TypologyFamilyFactory,
)

DRAFT_OBJECTIVE = "Objectif brouillon jamais validé 7f3a"
DRAFT_SCHEME = "Dispositif non publié 91c2"
HIDDEN_STRUCTURE = "Structure non publiée 55e0"
PRIVATE_EMAIL = "prive.coordinatrice@exemple.org"
PRIVATE_PHONE = "0611223344"
PROFESSIONAL_EMAIL = "asv.coordination@exemple.fr"


def square(lon: float, lat: float, size: float = 0.01) -> MultiPolygon:
    polygon = Polygon.from_bbox((lon, lat, lon + size, lat + size))
    return MultiPolygon(polygon, srid=4326)


@dataclass
class PagesWorld:
    neighbourhood: object
    previous: object
    commune: object
    epci: object
    contract: object
    section: object
    scheme: object
    draft_scheme: object
    arms: object
    structure: object
    hidden_structure: object


def pages_world() -> PagesWorld:
    review = review_world()
    section = review.section
    contract = section.contract
    epci = contract.carrier_epci
    commune = CommuneFactory(epci=epci, name="Valbourg")
    neighbourhood = NeighbourhoodFactory(
        name="Les Tilleuls", epci=epci, communes=[commune], contour=square(3.0, 50.0)
    )
    neighbourhood.contour_simplified = neighbourhood.contour
    neighbourhood.save()
    previous = NeighbourhoodFactory(
        geography_2015=True, name="Tilleuls ancien", epci=epci, communes=[commune]
    )
    NeighbourhoodLink.objects.create(previous=previous, current=neighbourhood, basis="contour")
    contract.neighbourhoods.set([neighbourhood, previous])
    contract.communes.set([commune])

    IndicatorValueFactory(neighbourhood=neighbourhood, value=41.5)
    IndicatorValueFactory(
        neighbourhood=neighbourhood,
        indicator=IndicatorFactory(code="brev", label="Taux de réussite au brevet"),
        value=None,
        status="secret",
    )
    pop = IndicatorFactory(
        code="pop_mun", label="Population municipale du quartier", unit="count", vintage="2015"
    )
    pop_com = IndicatorFactory(
        code="pop_com", label="Population municipale de la commune", unit="count", vintage="2015"
    )
    IndicatorValueFactory(neighbourhood=neighbourhood, indicator=pop, year=2015, value=3120)
    IndicatorValueFactory(neighbourhood=neighbourhood, indicator=pop_com, year=2015, value=48000)
    family = TypologyFamilyFactory(label="Quartiers jeunes et familiaux")
    family.memberships.create(neighbourhood=neighbourhood)
    CitizenCouncilFactory(
        name="Conseil citoyen des Tilleuls",
        neighbourhoods=[neighbourhood],
        public_email="conseil.tilleuls@exemple.fr",
    )

    scheme = SchemeFactory(name="Valbourg santé", is_published=True, stage="programming")
    scheme.neighbourhoods.add(neighbourhood)
    scheme.communes.add(commune)
    scheme.epcis.add(epci)
    scheme.thematics.add(Thematic.objects.create(code="acces", label="Accès aux soins"))
    person = PersonFactory(
        first_name="Inès",
        last_name="Roussel",
        email=PRIVATE_EMAIL,
        phone=PRIVATE_PHONE,
        professional_email=PROFESSIONAL_EMAIL,
        publish_professional_contact=True,
    )
    RoleFactory(person=person, scheme=scheme)
    Funding.objects.create(
        scheme=scheme,
        funder=OrganisationFactory(kind="ars"),
        year=2024,
        programme="ars_fir",
        amount=25000,
    )
    draft_scheme = SchemeFactory(name=DRAFT_SCHEME, is_published=False)
    draft_scheme.neighbourhoods.add(neighbourhood)
    SchemeLink.objects.create(source=draft_scheme, target=scheme, kind="coordinated_with")
    arms = SchemeFactory(arms=True, name="Médiation Valbourg", is_published=True)
    post = MediatorPostFactory(
        scheme=arms,
        mediator=PersonFactory(email="mediateur.prive@exemple.org", phone="0699887766"),
        over_30=True,
        lives_in_qpv=True,
        job_seeker_or_insertion=True,
    )
    post.neighbourhoods.add(neighbourhood)
    structure = HealthStructureFactory(
        name="Maison de santé des Tilleuls",
        commune=commune,
        location=Point(3.005, 50.005, srid=4326),
        is_published=True,
    )
    structure.communes_served.add(commune)
    hidden = HealthStructureFactory(name=HIDDEN_STRUCTURE, commune=commune, is_published=False)

    section.contributing_schemes.add(scheme, draft_scheme)
    approved = health_section_submit(section=section, user=review["coordinator_a"])
    review_take(review=approved, user=review["ars_region"])
    review_approve(review=approved, user=review["ars_region"])
    section = HealthSection.objects.get(pk=section.pk)
    # Edited since the approval: the public must not see this.
    ObjectiveFactory(section=section, number="9", level=1, title=DRAFT_OBJECTIVE)
    return PagesWorld(
        neighbourhood,
        previous,
        commune,
        epci,
        contract,
        section,
        scheme,
        draft_scheme,
        arms,
        structure,
        hidden,
    )


def grow(world: PagesWorld, n: int) -> None:
    """n more rows of every kind a page lists, so that query counts can be compared."""
    for i in range(n):
        commune = CommuneFactory(epci=world.epci)
        extra = NeighbourhoodFactory(epci=world.epci, communes=[commune, world.commune])
        world.contract.neighbourhoods.add(extra)
        world.contract.communes.add(commune)
        scheme = SchemeFactory(is_published=True)
        scheme.neighbourhoods.add(world.neighbourhood, extra)
        scheme.communes.add(world.commune)
        RoleFactory(
            scheme=world.scheme,
            person=PersonFactory(
                professional_email=f"pro{i}@exemple.fr", publish_professional_contact=True
            ),
        )
        SchemeLink.objects.create(source=world.scheme, target=scheme, kind="coordinated_with")
        world.section.contributing_schemes.add(scheme)
        post = MediatorPostFactory(scheme=world.arms)
        post.neighbourhoods.add(world.neighbourhood, extra)
        structure = HealthStructureFactory(commune=world.commune, is_published=True)
        structure.communes_served.add(world.commune, commune)
        IndicatorValueFactory(
            neighbourhood=world.neighbourhood,
            indicator=IndicatorFactory(code=f"x{i}", label=f"Indicateur {i}"),
        )
        ActionFactory(objective=world.section.objectives.first()).schemes.add(world.scheme)
        world.contract.signatories.create(
            organisation=OrganisationFactory(), role="other", signed_on=datetime.date(2024, 1, 1)
        )
