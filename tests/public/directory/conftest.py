"""A small world for the directory, coverage-gaps and partnership tests: two regions, three
EPCIs, published and unpublished schemes and structures, a coordinator who keeps their contact
private and one who publishes it."""

import datetime
from types import SimpleNamespace

import pytest

from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMember,
    SchemeLink,
    SchemeSignatory,
    Thematic,
)
from neighbourhoods.models import NeighbourhoodLink
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

PRIVATE_EMAIL = "prive.secret@exemple.org"
PRIVATE_PHONE = "0699887766"
HIDDEN_EMAIL = "pro.cache@exemple.org"
PUBLIC_EMAIL = "asv.roubaix@exemple.org"
DRAFT = "Brouillon confidentiel"


@pytest.fixture
def world(db):
    hdf = RegionFactory(code="32", name="Hauts-de-France")
    idf = RegionFactory(code="11", name="Île-de-France")
    nord = DepartmentFactory(code="59", name="Nord", region=hdf)
    paris_dep = DepartmentFactory(code="75", name="Paris", region=idf)
    mel = EpciFactory(name="Métropole Européenne de Lille")
    cud = EpciFactory(name="Communauté urbaine de Dunkerque")
    paris_epci = EpciFactory(name="Métropole du Grand Paris")
    lille = CommuneFactory(insee_code="59350", name="Lille", department=nord, epci=mel)
    roubaix = CommuneFactory(insee_code="59512", name="Roubaix", department=nord, epci=mel)
    dunkerque = CommuneFactory(insee_code="59183", name="Dunkerque", department=nord, epci=cud)
    paris = CommuneFactory(insee_code="75056", name="Paris", department=paris_dep, epci=paris_epci)
    nutrition = Thematic.objects.create(code="nutrition", label="Nutrition et activité physique")
    mental = Thematic.objects.create(code="sante-mentale", label="Santé mentale")

    ville_lille = OrganisationFactory(name="Ville de Lille")
    ccas_roubaix = OrganisationFactory(name="CCAS de Roubaix", kind="ccas")
    ars = OrganisationFactory(
        name="Agence régionale de santé Hauts-de-France", kind="ars", acronym="ARS HdF"
    )
    epsm = OrganisationFactory(hospital=True, name="EPSM Lille-Métropole")

    asv_lille = SchemeFactory(
        kind="ASV",
        name="Lille Sud",
        carrier=ville_lille,
        is_published=True,
        status="operational",
        stage="diagnosis",
    )
    asv_lille.communes.set([lille])
    asv_lille.thematics.set([nutrition])
    clsm_roubaix = SchemeFactory(
        kind="CLSM",
        name="Roubaix",
        carrier=ccas_roubaix,
        reference_hospital=epsm,
        is_published=True,
        status="project",
    )
    clsm_roubaix.epcis.set([mel])
    clsm_roubaix.thematics.set([mental])
    cls_paris = SchemeFactory(
        kind="CLS", name="Paris Nord-Est", is_published=True, status="operational"
    )
    cls_paris.communes.set([paris])
    draft = SchemeFactory(kind="ASV", name=DRAFT, carrier=ville_lille, is_published=False)
    draft.communes.set([lille])

    msp = HealthStructureFactory(kind="msp", name="Maison de santé Wazemmes", commune=lille)
    centre = HealthStructureFactory(
        kind="centre", name="Centre de santé de Dunkerque", commune=dunkerque, doctors=None
    )
    centre.communes_served.set([dunkerque, roubaix])
    pass_paris = HealthStructureFactory(
        kind="pass", name="PASS Lariboisière", commune=paris, doctors=None, paramedics=None
    )
    hidden_structure = HealthStructureFactory(
        kind="centre", name=f"{DRAFT} centre", commune=lille, is_published=False
    )

    # People: one keeps everything private, one publishes a professional contact.
    private = PersonFactory(
        first_name="Inès",
        last_name="Discrète",
        email=PRIVATE_EMAIL,
        phone=PRIVATE_PHONE,
        professional_email=HIDDEN_EMAIL,
        organisation=ville_lille,
    )
    public = PersonFactory(
        first_name="Paul",
        last_name="Publique",
        email="paul.perso@exemple.org",
        phone="0611223344",
        professional_email=PUBLIC_EMAIL,
        professional_phone="0320000000",
        publish_professional_contact=True,
        organisation=ccas_roubaix,
    )
    RoleFactory(person=private, scheme=asv_lille, kind="coordinator")
    RoleFactory(person=public, scheme=clsm_roubaix, kind="coordinator")
    RoleFactory(person=private, scheme=draft, kind="coordinator")

    SchemeSignatory.objects.create(scheme=clsm_roubaix, organisation=ars, role="ars")
    Funding.objects.create(
        scheme=asv_lille, funder=ars, year=2024, programme="ars_fir", amount=20000
    )
    copil = GovernanceBody.objects.create(scheme=cls_paris, kind="steering")
    GovernanceMember.objects.create(body=copil, organisation=ars, chairs=True)
    SchemeLink.objects.create(source=asv_lille, kind="coordinated_with", target=clsm_roubaix)
    SchemeLink.objects.create(source=draft, kind="coordinated_with", target=asv_lille)

    arms = SchemeFactory(
        kind="ARMS", name="Médiation Roubaix", carrier=ccas_roubaix, is_published=True
    )
    arms.communes.set([roubaix])

    # Neighbourhoods (2024) and one 2015 predecessor.
    n_lille = NeighbourhoodFactory(code="QN05971M", name="Lille Sud", epci=mel, communes=[lille])
    n_roubaix = NeighbourhoodFactory(
        code="QN05972M", name="Roubaix Nord", epci=mel, communes=[roubaix]
    )
    n_dunkerque = NeighbourhoodFactory(
        code="QN05973M", name="Dunkerque Centre", epci=cud, communes=[dunkerque]
    )
    old_dunkerque = NeighbourhoodFactory(
        code="QP059099", name="Dunkerque 2015", vintage=2015, epci=cud, communes=[dunkerque]
    )
    NeighbourhoodLink.objects.create(previous=old_dunkerque, current=n_dunkerque, basis="name")
    n_paris = NeighbourhoodFactory(
        code="QN07501M", name="Goutte d'Or", epci=paris_epci, communes=[paris]
    )
    asv_dunkerque = SchemeFactory(
        kind="ASV", name="Dunkerque", is_published=True, status="operational"
    )
    asv_dunkerque.neighbourhoods.set([old_dunkerque])
    stopped = SchemeFactory(kind="ASV", name="Paris arrêté", is_published=True, status="stopped")
    stopped.communes.set([paris])
    today = datetime.date.today()
    current_post = MediatorPostFactory(
        scheme=arms,
        employer=ccas_roubaix,
        start_date=today - datetime.timedelta(days=100),
        end_date=today + datetime.timedelta(days=300),
        over_30=True,
    )
    current_post.neighbourhoods.set([n_roubaix])
    ended_post = MediatorPostFactory(
        scheme=arms,
        employer=ccas_roubaix,
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2018, 12, 31),
    )
    ended_post.neighbourhoods.set([n_lille])
    return SimpleNamespace(**locals())
