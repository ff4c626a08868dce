import csv
import datetime
from collections import defaultdict

import pytest
from django.conf import settings
from django.db.models import Count

from contracts.calls import CallForProjects, Proposal, TechnicalOpinion
from contracts.cycle import Evaluation, HealthDiagnosis
from contracts.models import (
    Action,
    ActionFunding,
    CityContract,
    HealthSection,
    Objective,
    Review,
    ReviewComment,
)
from devices.governance import GovernanceBody, SchemeLink
from devices.models import Funding, HealthStructure, MediatorPost, Person, Role, Scheme
from devices.rules import is_ars_funded, scheme_signatories_gaps
from neighbourhoods.models import Neighbourhood
from neighbourhoods.territory import scope_for
from portal.demo import demo_load
from portal.models import User
from portal.reminders import reminders_for, reminders_refresh


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


def test_a_second_run_replays_no_workflow_step(demo):
    def state():
        return (
            list(Review.objects.order_by("pk").values_list("pk", "status")),
            ReviewComment.objects.count(),
            list(TechnicalOpinion.objects.order_by("pk").values_list("pk", "verdict")),
            list(Proposal.objects.order_by("pk").values_list("decision", "funding_id")),
            ActionFunding.objects.count(),
        )

    before = state()
    demo_load(with_accounts=True)

    assert state() == before


def test_valenciennes_section_is_approved_after_two_rounds_and_published(demo):
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    first, second = section.reviews.order_by("number")

    assert (section.review_status, section.is_published) == ("approved", True)
    assert (first.status, second.status) == ("changes_requested", "approved")
    assert first.reviewer.username == second.reviewer.username == "ars"
    assert first.submitted_by.username == second.submitted_by.username == "coordination"
    assert first.snapshot and second.snapshot  # frozen by the services


def test_the_first_round_holds_the_checklist_and_the_dated_seed_comments(demo):
    first = Review.objects.get(section__contract__code="CV2015-CAVM", number=1)
    seed_comments = first.comments.filter(author__username="ars").order_by("created_at")
    answers = dict(first.answers.values_list("criterion", "answer"))

    assert [c.created_at.date().isoformat() for c in seed_comments] == [
        "2016-11-02",
        "2016-11-15",
    ]
    reply = first.comments.get(author__username="coordination")
    assert reply.parent.body.startswith("La santé mentale")
    assert answers["mental_health"] is True and answers["cls_articulated"] is None


def test_the_mel_section_is_in_review_and_laon_is_a_draft(demo):
    mel = HealthSection.objects.get(contract__code="CV2015-MEL")
    review = mel.reviews.get()

    assert (mel.review_status, mel.is_published) == ("in_review", False)
    assert review.submitted_by.username == "coordination-mel"
    assert review.reviewer.username == "ars"
    laon = HealthSection.objects.get(contract__code="CV2015-LAON")
    assert (laon.review_status, laon.is_published, laon.reviews.count()) == ("draft", False, 0)
    assert not HealthSection.objects.filter(is_published=True).exclude(contract__code="CV2015-CAVM")


def test_the_demo_clsm_meets_the_ars_signatories_rule(demo):
    clsm = Scheme.objects.get(kind="CLSM", name="Tourcoing")

    assert is_ars_funded(clsm.fundings.all())
    assert scheme_signatories_gaps(clsm) == []
    assert set(clsm.signatories.values_list("organisation__name", "role")) >= {
        ("Agence régionale de santé Hauts-de-France", "ars"),
        ("Ville de Tourcoing", "commune"),
        ("EPSM Lille-Métropole", "hospital"),
    }


def test_the_asvs_are_linked_to_their_cls_and_clsm(demo):
    links = set(SchemeLink.objects.values_list("source__name", "kind", "target__kind"))

    assert ("Boulonnais", "component_of", "CLS") in links
    assert ("Tourcoing", "coordinated_with", "CLSM") in links


def test_the_boulonnais_cls_has_a_copil_chaired_by_the_ars_and_a_cotech(demo):
    bodies = GovernanceBody.objects.filter(scheme__kind="CLS", scheme__name="Boulonnais")
    steering = bodies.get(kind="steering")
    chairs = set(steering.members.filter(chairs=True).values_list("organisation__kind", flat=True))

    assert set(bodies.values_list("kind", flat=True)) == {"steering", "technical"}
    assert chairs == {"ars_delegation", "epci"}


def test_laon_has_a_pass_every_two_weeks(demo):
    pass_ = HealthStructure.objects.get(kind="pass", commune__insee_code="02408")

    assert pass_.consultation_every_days == 14
    assert pass_.carrier.kind == "hospital"


def test_funding_purposes_tell_actions_from_coordination(demo):
    laon = Funding.objects.filter(scheme__name="Laon")

    assert set(laon.values_list("purpose", flat=True)) == {"actions"}
    clsm = Funding.objects.get(scheme__kind="CLSM", programme="ars_fir")
    assert clsm.purpose == "coordination"


def test_demo_people_have_unpublished_professional_addresses(demo):
    people = Person.objects.all()

    assert not people.exclude(email="").exists()  # no personal address in the demo
    assert people.filter(professional_email__endswith="@exemple.fr").count() == 7
    assert not people.filter(publish_professional_contact=True).exists()


def test_the_boulonnais_call_has_both_opinions_on_each_health_proposal(demo):
    call = CallForProjects.objects.get(contract__code="CV2015-BOULONNAIS", year=2016)
    health = call.proposals.filter(is_health=True)

    assert call.is_published and call.programme == "p147"
    assert list(call.orientations.values_list("number", flat=True)) == ["1"]
    assert call.proposals.filter(is_health=False).count() == 1
    for proposal in health:
        authors = dict(proposal.opinions.values_list("kind", "author__username"))
        assert authors == {"coordinator": "coordination-boulonnais", "ars": "ars"}
    assert not call.proposals.filter(is_health=False, opinions__isnull=False).exists()


def test_the_boulonnais_decisions_follow_the_rules(demo):
    proposals = Proposal.objects.filter(call__contract__code="CV2015-BOULONNAIS")
    retained = proposals.get(decision="retained")
    refused = proposals.get(decision="not_retained")

    assert retained.amount_granted < retained.amount_asked
    assert retained.action.objective.number.startswith("1.")
    assert retained.funding.amount == retained.amount_granted
    assert retained.funding.illustrative
    assert refused.decision_reason and refused.amount_granted is None


def test_coordination_has_a_call_of_its_own_to_try(demo):
    user = User.objects.get(username="coordination")

    calls = scope_for(user, CallForProjects.objects.all())
    assert calls.filter(contract__code="CV2015-CAVM").exists()


def test_the_hazebrouck_asv_diagnosis_and_stage(demo):
    asv = Scheme.objects.get(kind="ASV", name="Hazebrouck")
    diagnosis = HealthDiagnosis.objects.get(scheme=asv)

    assert diagnosis.carried_out_on is None and diagnosis.section is None
    assert diagnosis.method.startswith("Questionnaire à 80 habitants")
    assert asv.stage == "programming"


def test_the_valenciennes_section_has_an_evaluation_and_a_stage(demo):
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    evaluation = Evaluation.objects.get(section=section)

    assert evaluation.evaluated_by == "comité de pilotage avec les conseils citoyens"
    assert "illustrati" in evaluation.findings
    assert section.stage == "programming"


def test_reminders_tell_coordination_its_post_ends_soon(demo):
    post = MediatorPost.objects.get(employer__name="Valenciennes Métropole")

    reminders_refresh(today=post.end_date - datetime.timedelta(days=90))

    user = User.objects.get(username="coordination")
    assert reminders_for(user).filter(kind="post_ending").exists()
    assert datetime.date(2026, 11, 25) <= post.end_date <= datetime.date(2027, 5, 25)


@pytest.mark.parametrize(
    "username", ["admin", "coordination", "coordination-mel", "coordination-boulonnais", "ars"]
)
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


def test_the_valenciennes_diagnosis_is_co_authored_by_the_ars(demo):
    diagnosis = HealthSection.objects.get(contract__code="CV2015-CAVM").health_diagnoses.get()

    assert list(diagnosis.co_author_organisations.values_list("name", flat=True)) == [
        "Agence régionale de santé Hauts-de-France"
    ]
