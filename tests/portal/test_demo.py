import csv
from collections import defaultdict

import pytest
from django.conf import settings
from django.db.models import Count

from contracts.models import Action, ActionFunding, CityContract, HealthSection, Objective, Review
from devices.models import Funding, HealthStructure, MediatorPost, Role, Scheme
from neighbourhoods.models import Neighbourhood
from neighbourhoods.territory import scope_for
from portal.demo import demo_load
from portal.models import User


@pytest.fixture
def demo(demo_data, db):
    return demo_data


def test_it_loads_the_full_valenciennes_tree_from_seed_004(demo):
    numbers = sorted(
        Objective.objects.filter(section__contract__code="CV2015-CAVM").values_list(
            "number", flat=True
        ),
        key=lambda n: tuple(map(int, n.split("."))),
    )

    assert numbers == [
        "2", "2.1", "2.1.1", "2.1.1.1", "2.1.1.2", "2.1.1.3",
        "2.2", "2.2.1", "2.2.1.1", "2.2.2", "2.2.2.1", "2.2.3", "2.2.3.1",
        "2.3", "2.3.3", "2.3.3.1", "2.3.3.2",
    ]  # fmt: skip
    root = Objective.objects.get(section__contract__code="CV2015-CAVM", number="2")
    assert root.title == "Promouvoir la santé et faciliter l'accès aux soins"


def test_the_chateau_thierry_section_is_constituted_by_its_cls(demo):
    section = HealthSection.objects.get(contract__code="CV2015-CHTHIERRY")

    assert section.constituted_by.kind == "CLS"
    assert str(section.constituted_by.signed_on) == "2015-12-17"
    assert str(section.contract.signed_on) == "2015-09-02"


def test_neighbourhoods_carry_real_2024_codes(demo):
    blanchard = Neighbourhood.objects.get(code="QN00216M")

    assert blanchard.name == "Blanchard"
    assert list(blanchard.communes.values_list("insee_code", flat=True)) == ["02168"]
    multi = Neighbourhood.objects.annotate(n=Count("communes")).get(code="QN05980M")
    assert multi.n == 4


def test_the_lille_ccas_has_two_mediator_posts(demo):
    posts = MediatorPost.objects.filter(employer__name="CCAS de Lille")

    assert posts.count() == 2
    assert all(post.state_share == 75 and post.ars_share == 25 for post in posts)


def test_one_person_coordinates_both_the_asv_and_the_clsm_of_tourcoing(demo):
    kinds = set(
        Role.objects.filter(kind="coordinator", scheme__name="Tourcoing").values_list(
            "scheme__kind", "person__last_name"
        )
    )

    assert {kind for kind, _ in kinds} == {"ASV", "CLSM"}
    assert len({person for _, person in kinds}) == 1


def test_the_mel_contract_matches_the_seeds(demo):
    mel = CityContract.objects.get(code="CV2015-MEL")

    assert str(mel.signed_on) == "2015-07-15"
    assert mel.neighbourhoods.filter(kind="watch").count() == 3


def test_a_second_run_changes_nothing(demo):
    counts = demo_load(with_accounts=True)

    assert counts.get("created", 0) == 0
    assert counts.get("updated", 0) == 0
    assert counts["unchanged"] == sum(demo.values())


def test_it_creates_an_ars_review_with_dated_comments(demo):
    review = Review.objects.get(section__contract__code="CV2015-CAVM")

    assert review.reviewer.username == "ars"
    assert [c.created_at.date().isoformat() for c in review.comments.all()] == [
        "2016-11-02",
        "2016-11-15",
    ]


@pytest.mark.parametrize("username", ["admin", "coordination", "coordination-mel", "ars"])
def test_each_demo_account_reaches_the_admin_index(demo, client, username):
    assert client.login(username=username, password="demo")

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Administration du portail" in response.content.decode()


def test_demo_neighbourhoods_have_every_commune_of_the_reference_file(demo):
    reference = defaultdict(set)
    path = settings.BASE_DIR / "fixtures" / "reference" / "qpv2024_communes.csv"
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            reference[row["code_qp"]].add(row["insee_com"])
    demo_codes = Neighbourhood.objects.filter(code__in=list(reference)).prefetch_related("communes")

    assert demo_codes.count() == 41
    for neighbourhood in demo_codes:
        communes = {c.insee_code for c in neighbourhood.communes.all()}
        assert communes == reference[neighbourhood.code], neighbourhood.code
    lezennes = Neighbourhood.objects.get(code="QN05972M").communes.filter(name="Lezennes")
    assert lezennes.exists()


def test_the_chateau_thierry_msp_is_not_funded_by_the_city_alone(demo):
    msp = HealthStructure.objects.get(kind="msp", commune__insee_code="02168")
    action = Action.objects.get(objective__section__contract__code="CV2015-CHTHIERRY")

    assert not action.fundings.exists()  # the seeds give no share: the city lends the land
    assert "terrain" in msp.description and "opérateur" in msp.description


def test_the_2012_study_is_not_dated_as_the_valenciennes_local_diagnosis(demo):
    diagnosis = HealthSection.objects.get(contract__code="CV2015-CAVM").health_diagnoses.get()

    assert diagnosis.carried_out_on is None
    assert "Vivons en forme" in diagnosis.summary


def test_figures_the_seeds_do_not_give_are_flagged_illustrative(demo):
    sourced = ActionFunding.objects.filter(illustrative=False)

    assert {(f.funder.name, f.share) for f in sourced} == {
        ("Préfecture du Nord", 75),
        ("Agence régionale de santé Hauts-de-France", 25),
    }  # the adult-relay rule: State 75 %, ARS 25 % (seed 000)
    assert not Funding.objects.filter(illustrative=False).exists()
    assert not Action.objects.filter(participation_aimed__isnull=False, illustrative=False).exists()
    assert not Scheme.objects.filter(participation_level__isnull=False, illustrative=False).exists()


@pytest.mark.parametrize("page", ["devices/funding/", "contracts/action/", "devices/scheme/"])
def test_the_admin_lists_show_the_illustrative_flag(demo, client, page):
    client.login(username="admin", password="demo")

    response = client.get(f"/admin/{page}")

    assert "valeur illustrative" in response.content.decode().lower()


def test_the_coordination_account_has_schemes_and_posts_of_its_own_territory(demo):
    coordination = User.objects.get(username="coordination")

    assert scope_for(coordination, Scheme.objects.all()).exists()
    assert scope_for(coordination, MediatorPost.objects.all()).exists()
    assert scope_for(coordination, Funding.objects.all()).exists()


def test_a_second_coordinator_answers_for_the_mel(demo):
    mel = User.objects.get(username="coordination-mel")

    assert list(mel.epcis.values_list("siren", flat=True)) == ["200093201"]
    schemes = scope_for(mel, Scheme.objects.all())
    assert schemes.filter(kind="ASV", name="Tourcoing").exists()
    assert not schemes.filter(carrier__name="Valenciennes Métropole").exists()


def test_chateau_thierry_has_a_citizen_council_in_each_of_its_two_qpv(demo):
    blanchard, vaucrises = Neighbourhood.objects.filter(code__in=["QN00216M", "QN00217M"])

    assert blanchard.citizen_councils.get() != vaucrises.citizen_councils.get()
    assert not Neighbourhood.objects.without_citizen_council().filter(
        code__in=["QN00216M", "QN00217M"]
    )
