import pytest
from django.db.models import Count

from contracts.models import CityContract, HealthSection, Objective, Review
from devices.models import MediatorPost, Role
from neighbourhoods.models import Neighbourhood
from portal.demo import demo_load


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


@pytest.mark.parametrize("username", ["admin", "coordination", "ars"])
def test_each_demo_account_reaches_the_admin_index(demo, client, username):
    assert client.login(username=username, password="demo")

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Administration du portail" in response.content.decode()
