"""A small published world for the catalog resources of the API (schemes, structures,
organisations, contracts, calls for projects), in two departments of two regions, with the
private data and draft text that must never come out."""

import datetime
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from rest_framework.throttling import SimpleRateThrottle

from contracts.enums import ReviewStatus
from contracts.models import HealthSection, Review
from contracts.review_snapshot import section_snapshot
from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMember,
    SchemeLink,
    SchemeSignatory,
    Thematic,
)
from tests.contracts.factories import (
    ActionFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.devices.factories import (
    HealthStructureFactory,
    MediatorPostFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.neighbourhoods.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    NeighbourhoodFactory,
    RegionFactory,
)

# Text that exists only in drafts, private fields or unpublished rows: no API response may
# contain it.
DRAFT_MARKER = "BROUILLON-NON-VALIDE-7f3a"
PRIVATE_EMAIL = "perso-7f3a@example.org"
PRIVATE_PHONE = "0611223344"
UNPUBLISHED_MARKER = "NON-PUBLIE-7f3a"
SECRETS = (DRAFT_MARKER, PRIVATE_EMAIL, PRIVATE_PHONE, UNPUBLISHED_MARKER)


@pytest.fixture(autouse=True)
def no_throttling(monkeypatch):
    """The tests call the API far more than an anonymous client may per minute."""
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


def approve(section: HealthSection, number: int = 1) -> Review:
    """What ``review_approve`` leaves behind, without the review's personas: an approved
    round holding the section's snapshot, and the section published."""
    review = Review.objects.create(
        section=section,
        number=number,
        status=ReviewStatus.APPROVED,
        snapshot=section_snapshot(section),
        decided_at=datetime.datetime.now(datetime.UTC),
    )
    section.is_published = True
    section.review_status = ReviewStatus.APPROVED
    section.save(update_fields=["is_published", "review_status"])
    return review


@dataclass
class World:
    nord: object
    gironde: object
    lille: object
    roubaix: object
    bordeaux: object
    mel: object
    moulins: object
    wazemmes: object
    cls: object
    asv: object
    arms: object
    draft_scheme: object
    msp: object
    pass_: object
    contract: object
    draft_contract: object
    other_contract: object
    thematic: object
    extras: dict = field(default_factory=dict)


def build_world() -> World:
    hdf = RegionFactory(code="32", name="Hauts-de-France")
    nord = DepartmentFactory(code="59", name="Nord", region=hdf)
    na = RegionFactory(code="75", name="Nouvelle-Aquitaine")
    gironde = DepartmentFactory(code="33", name="Gironde", region=na)
    mel = EpciFactory(name="Métropole Européenne de Lille")
    bordeaux_metropole = EpciFactory(name="Bordeaux Métropole")
    lille = CommuneFactory(
        insee_code="59350", name="Lille", department=nord, epci=mel, centroid=Point(3.06, 50.63)
    )
    roubaix = CommuneFactory(
        insee_code="59512", name="Roubaix", department=nord, epci=mel, centroid=Point(3.18, 50.69)
    )
    bordeaux = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        department=gironde,
        epci=bordeaux_metropole,
        centroid=Point(-0.58, 44.84),
    )
    moulins = NeighbourhoodFactory(code="QN05971M", name="Moulins", epci=mel, communes=[lille])
    wazemmes = NeighbourhoodFactory(code="QN05972M", name="Wazemmes", epci=mel, communes=[lille])
    alma = NeighbourhoodFactory(code="QN05980M", name="Alma", epci=mel, communes=[roubaix])

    thematic = Thematic.objects.create(code="sante-mentale", label="Santé mentale et bien-être")
    access = Thematic.objects.create(code="acces-droits-soins", label="Accès aux droits")

    ars = OrganisationFactory(name="ARS Hauts-de-France", kind="ars", siren="130007891")
    ccas = OrganisationFactory(name="CCAS de Lille", kind="ccas")
    city = OrganisationFactory(name="Ville de Lille", kind="commune", commune=lille)
    hidden_partner = OrganisationFactory(name=f"Association {UNPUBLISHED_MARKER}")

    cls = SchemeFactory(
        cls_contract=True,
        name="CLS de la MEL",
        carrier=city,
        is_published=True,
        stage="programming",
    )
    cls.epcis.add(mel)
    cls.thematics.add(thematic, access)
    asv = SchemeFactory(kind="ASV", name="ASV de Lille", carrier=city, is_published=True)
    asv.neighbourhoods.add(moulins)
    asv.thematics.add(access)
    arms = SchemeFactory(
        arms=True, name="Médiation santé du CCAS de Lille", carrier=ccas, is_published=True
    )
    arms.communes.add(lille)
    draft_scheme = SchemeFactory(
        kind="CLSM",
        name=f"CLSM {UNPUBLISHED_MARKER}",
        carrier=hidden_partner,
        is_published=False,
    )
    draft_scheme.communes.add(bordeaux)

    # People: one agreed to publish a professional contact, one did not.
    public_person = PersonFactory(
        first_name="Claire",
        last_name="Publique",
        email=PRIVATE_EMAIL,
        phone=PRIVATE_PHONE,
        professional_email="asv@ville-lille.fr",
        professional_phone="0320000000",
        publish_professional_contact=True,
        organisation=city,
    )
    private_person = PersonFactory(
        first_name="Paul",
        last_name=f"Discret{UNPUBLISHED_MARKER}",
        email=PRIVATE_EMAIL,
        phone=PRIVATE_PHONE,
        professional_email="pro@example.org",
    )
    RoleFactory(person=public_person, scheme=asv, kind="coordinator")
    RoleFactory(person=private_person, scheme=asv, kind="referent")
    mediator = PersonFactory(
        first_name="Mina",
        last_name=f"Médiatrice{UNPUBLISHED_MARKER}",
        email=PRIVATE_EMAIL,
    )
    post = MediatorPostFactory(
        scheme=arms,
        employer=ccas,
        mediator=mediator,
        over_30=True,
        lives_in_qpv=True,
        job_seeker_or_insertion=True,
    )
    post.neighbourhoods.add(moulins, wazemmes)
    Funding.objects.create(
        scheme=asv, funder=ars, year=2016, programme="ars_fir", amount=Decimal("30000")
    )
    SchemeSignatory.objects.create(scheme=cls, organisation=ars, role="ars")
    SchemeLink.objects.create(source=asv, kind="component_of", target=cls)
    SchemeLink.objects.create(source=draft_scheme, kind="coordinated_with", target=asv)
    copil = GovernanceBody.objects.create(scheme=cls, kind="steering", remit="Pilotage")
    GovernanceMember.objects.create(body=copil, organisation=ars, chairs=True)
    GovernanceMember.objects.create(
        body=copil, role=RoleFactory(person=private_person, scheme=cls, kind="elected_lead")
    )

    msp = HealthStructureFactory(
        name="MSP de Roubaix",
        kind="msp",
        commune=roubaix,
        carrier=city,
        location=Point(3.17, 50.69),
        is_published=True,
    )
    msp.communes_served.add(lille)
    pass_ = HealthStructureFactory(
        name="PASS de Bordeaux",
        kind="pass",
        commune=bordeaux,
        doctors=None,
        paramedics=None,
        consultation_every_days=14,
        location=Point(-0.57, 44.83),
    )
    HealthStructureFactory(name=f"MSP {UNPUBLISHED_MARKER}", commune=lille, is_published=False)

    # Contracts: one approved (then edited as a draft since), one never approved, one other.
    contract = CityContractFactory(
        code="CN059001",
        name="Contrat de ville de la MEL",
        carrier_epci=mel,
        department=nord,
        location=Point(3.06, 50.63),
    )
    contract.communes.add(lille, roubaix)
    contract.neighbourhoods.add(moulins, wazemmes, alma)
    section = HealthSectionFactory(contract=contract, title="Volet santé de la MEL")
    orientation = ObjectiveFactory(
        section=section, number="2", level=1, title="Promouvoir la santé"
    )
    objective = ObjectiveFactory(
        section=section,
        parent=orientation,
        number="2.1",
        level=2,
        title="Nutrition et activité physique",
    )
    action = ActionFactory(objective=objective, title="Bus santé", carrier=city)
    action.neighbourhoods.add(moulins)
    approve(section)
    # Edited since the approval: the public keeps the approved version.
    objective.description = f"Texte en cours {DRAFT_MARKER}"
    objective.save()
    ObjectiveFactory(section=section, number="3", level=1, title=f"Orientation {DRAFT_MARKER}")
    action.title = f"Bus santé {DRAFT_MARKER}"
    action.save()

    draft_contract = CityContractFactory(
        code="CN059002", name="Contrat de Roubaix", carrier_epci=mel, department=nord
    )
    draft_contract.communes.add(roubaix)
    draft_section = HealthSectionFactory(contract=draft_contract, is_published=False)
    ObjectiveFactory(section=draft_section, number="1", title=f"Objectif {DRAFT_MARKER}")

    other_contract = CityContractFactory(
        code="CN033001",
        name="Contrat de Bordeaux Métropole",
        carrier_epci=bordeaux_metropole,
        department=gironde,
        location=Point(-0.58, 44.84),
    )
    other_contract.communes.add(bordeaux)

    return World(
        nord=nord,
        gironde=gironde,
        lille=lille,
        roubaix=roubaix,
        bordeaux=bordeaux,
        mel=mel,
        moulins=moulins,
        wazemmes=wazemmes,
        cls=cls,
        asv=asv,
        arms=arms,
        draft_scheme=draft_scheme,
        msp=msp,
        pass_=pass_,
        contract=contract,
        draft_contract=draft_contract,
        other_contract=other_contract,
        thematic=thematic,
        extras={
            "ars": ars,
            "ccas": ccas,
            "city": city,
            "hidden_partner": hidden_partner,
            "post": post,
            "section": section,
            "objective": objective,
            "action": action,
            "public_person": public_person,
            "private_person": private_person,
        },
    )


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    return build_world()


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def codes(response, key: str = "code") -> list[str]:
    return [str(row[key]) for row in response.json()["results"]]


def ogr_summary(document: bytes, suffix: str = ".geojson") -> str:
    """``ogrinfo -ro -al -so`` on the document written to a temporary file: what QGIS and
    every GDAL-based tool will read."""
    with tempfile.NamedTemporaryFile(suffix=suffix) as file:
        file.write(document)
        file.flush()
        result = subprocess.run(
            ["ogrinfo", "-ro", "-al", "-so", file.name],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    return result.stdout


def assert_no_secret(content: bytes) -> None:
    text = content.decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in text, secret
