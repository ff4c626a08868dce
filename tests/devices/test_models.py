import datetime
from decimal import Decimal

import pytest

from devices.models import Funding, Organisation, Role, SchemeSignatory, add_years
from tests.devices.factories import (
    HealthStructureFactory,
    MediatorPostFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_scheme_ends_after_it_starts():
    scheme = SchemeFactory.build(
        carrier=OrganisationFactory(), start_date=D(2016, 1, 1), end_date=D(2015, 1, 1)
    )

    assert_invalid(scheme, "postérieure à la date de début")
    assert_database_rejects(scheme)


@pytest.mark.parametrize("fte", [Decimal("0"), Decimal("10.5")])
def test_asv_coordination_fte_is_between_0_and_10(fte):
    scheme = SchemeFactory.build(carrier=OrganisationFactory(), coordination_fte=fte)

    assert_invalid(scheme, "entre 0 et 10")
    assert_database_rejects(scheme)


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [("ASV", "generation", 1), ("CLS", "coordination_fte", Decimal("1"))],
)
def test_kind_specific_facts_belong_to_their_kind(kind, field, value):
    scheme = SchemeFactory.build(carrier=OrganisationFactory(), kind=kind, **{field: value})

    assert_invalid(scheme, "ne concerne que les dispositifs")


def test_a_clsm_reference_is_a_hospital():
    clsm = SchemeFactory.build(
        carrier=OrganisationFactory(), kind="CLSM", reference_hospital=OrganisationFactory()
    )

    assert_invalid(clsm, "doit être un hôpital")
    clsm.reference_hospital = OrganisationFactory(hospital=True)
    clsm.full_clean()


def test_a_cls_generation_starts_at_one():
    assert_database_rejects(
        SchemeFactory.build(carrier=OrganisationFactory(), cls_contract=True, generation=0)
    )


def test_only_a_cls_a_cts_or_a_clsm_has_signatories():
    asv = SchemeFactory()
    signatory = SchemeSignatory(scheme=asv, organisation=OrganisationFactory(), role="ars")

    assert_invalid(signatory, "un CTS ou un CLSM")
    signatory.scheme = SchemeFactory(cls_contract=True)
    signatory.full_clean()


def test_a_clsm_may_have_signatories():
    # Seed 003: the ARS funding a CLSM « est obligatoirement signataire du contrat ».
    signatory = SchemeSignatory(
        scheme=SchemeFactory(clsm=True), organisation=OrganisationFactory(kind="ars"), role="ars"
    )

    signatory.full_clean()


def test_an_organisation_signs_a_scheme_once():
    cls = SchemeFactory(cls_contract=True)
    ars = OrganisationFactory(kind="ars")
    SchemeSignatory.objects.create(scheme=cls, organisation=ars, role="ars")

    assert_database_rejects(SchemeSignatory(scheme=cls, organisation=ars, role="state"))


def test_organisation_names_are_unique_per_kind():
    Organisation.objects.create(name="CCAS de Lille", kind="ccas")

    assert_database_rejects(Organisation(name="CCAS de Lille", kind="ccas"))


@pytest.mark.parametrize("fte", [Decimal("0"), Decimal("1.5")])
def test_a_role_is_at_most_one_full_time_post(fte):
    role = RoleFactory.build(person=PersonFactory(), scheme=SchemeFactory(), fte=fte)

    assert_invalid(role, "ETP")
    assert_database_rejects(role)


def test_a_role_ends_after_it_starts():
    role = RoleFactory.build(
        person=PersonFactory(),
        scheme=SchemeFactory(),
        start_date=D(2020, 1, 1),
        end_date=D(2019, 1, 1),
    )

    assert_database_rejects(role)


def test_a_role_is_held_for_a_scheme_or_an_organisation():
    role = Role(person=PersonFactory(), kind="referent")

    assert_invalid(role, "pour un dispositif ou une organisation")
    assert_database_rejects(role)


def test_one_person_holds_several_roles_across_schemes():
    person = PersonFactory()
    RoleFactory(person=person, scheme=SchemeFactory(kind="ASV"))
    RoleFactory(person=person, scheme=SchemeFactory(clsm=True))

    assert set(person.roles.values_list("scheme__kind", flat=True)) == {"ASV", "CLSM"}


def test_a_mediator_post_belongs_to_an_arms_scheme():
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(kind="ASV"), employer=OrganisationFactory()
    )

    assert_invalid(post, "dispositif ARMS")


def test_a_mediator_post_ends_after_it_starts():
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(arms=True),
        employer=OrganisationFactory(),
        start_date=D(2016, 1, 1),
        end_date=D(2016, 1, 1),
    )

    assert_database_rejects(post)


def test_an_adult_relay_contract_is_renewed_once_at_most():
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(arms=True), employer=OrganisationFactory(), renewals=2
    )

    assert_invalid(post, "renouvelable qu'une fois")
    assert_database_rejects(post)


@pytest.mark.parametrize(("renewals", "last_day"), [(0, D(2019, 1, 1)), (1, D(2022, 1, 1))])
def test_a_term_lasts_three_years_per_contract(renewals, last_day):
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(arms=True),
        employer=OrganisationFactory(),
        start_date=D(2016, 1, 1),
        end_date=last_day,
        renewals=renewals,
    )
    post.full_clean()

    post.end_date = last_day + datetime.timedelta(days=1)
    assert_invalid(post, "se termine au plus tard")


def test_funding_shares_are_percentages_summing_to_100():
    arms = SchemeFactory(arms=True)
    employer = OrganisationFactory()
    out_of_range = MediatorPostFactory.build(
        scheme=arms, employer=employer, state_share=Decimal("110"), ars_share=Decimal("-10")
    )
    not_whole = MediatorPostFactory.build(
        scheme=arms, employer=employer, state_share=Decimal("70"), ars_share=Decimal("25")
    )

    assert_invalid(out_of_range, "100")
    assert_database_rejects(out_of_range)
    assert_database_rejects(not_whole)


def test_the_default_split_is_state_75_ars_25():
    post = MediatorPostFactory()

    assert (post.state_share, post.ars_share) == (75, 25)


def test_a_mediator_is_eligible_only_when_attested():
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(arms=True),
        employer=OrganisationFactory(),
        mediator=PersonFactory(),
        over_30=True,
        lives_in_qpv=True,
        job_seeker_or_insertion=False,
    )

    assert_invalid(post, "Éligibilité non attestée")
    post.job_seeker_or_insertion = True
    post.full_clean()


def test_add_years_falls_back_on_28_february():
    assert add_years(D(2016, 2, 29), 3) == D(2019, 2, 28)


@pytest.mark.parametrize(
    ("amount", "share", "message"),
    [
        (None, None, "un montant ou une part"),
        (Decimal("-1"), None, "négatif"),
        (None, Decimal("101"), "100"),
    ],
)
def test_a_funding_line_states_a_valid_amount_or_share(amount, share, message):
    line = Funding(
        scheme=SchemeFactory(),
        funder=OrganisationFactory(),
        year=2016,
        programme="p147",
        amount=amount,
        share=share,
    )

    assert_invalid(line, message)
    assert_database_rejects(line)


def test_a_funding_year_is_plausible():
    line = Funding(
        scheme=SchemeFactory(), funder=OrganisationFactory(), year=1789, programme="p147", share=50
    )

    assert_database_rejects(line)


def test_an_msp_gathers_two_doctors_and_a_paramedic():
    msp = HealthStructureFactory.build(commune=HealthStructureFactory().commune, doctors=1)

    assert_invalid(msp, "au moins deux médecins")
    msp.kind = "pass"
    msp.full_clean()


def test_the_total_of_professionals_covers_doctors_and_paramedics():
    structure = HealthStructureFactory.build(
        commune=HealthStructureFactory().commune, doctors=5, paramedics=2, professionals=6
    )

    assert_invalid(structure, "Le total des professionnels")


def test_a_project_cost_is_not_negative():
    structure = HealthStructureFactory.build(
        commune=HealthStructureFactory().commune, project_cost=Decimal("-1")
    )

    assert_database_rejects(structure)


def test_a_structure_may_be_a_maison_pluridisciplinaire_de_sante():
    # Seed 004, the MEL's schemes: « MPS : Maison Pluridisciplin[aire de santé] ».
    HealthStructureFactory.build(kind="mps", commune=HealthStructureFactory().commune).full_clean()


def test_a_pass_says_how_often_its_consultation_opens():
    # Seed 000 (Laon): the PASS « avait un passage toutes les 2 semaines ».
    pass_ = HealthStructureFactory.build(
        kind="pass",
        commune=HealthStructureFactory().commune,
        consultation_every_days=14,
        doctors=None,
        paramedics=None,
    )

    pass_.full_clean()


@pytest.mark.parametrize(("kind", "days"), [("msp", 14), ("pass", 0)])
def test_only_a_pass_has_an_opening_rhythm_of_at_least_a_day(kind, days):
    structure = HealthStructureFactory.build(
        kind=kind, commune=HealthStructureFactory().commune, consultation_every_days=days
    )

    assert_invalid(structure, "rythme d'ouverture")
    assert_database_rejects(structure)
