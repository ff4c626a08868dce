"""Calls for projects (seed 000): proposals, the technical opinions of the health coordinator
and of the ARS, the elected official's decision and the funding it becomes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contracts.calls import CallForProjects, Proposal, TechnicalOpinion
from contracts.models import ActionFunding, CityContract, Objective
from contracts.services_calls import proposal_decide, technical_opinion_give
from portal.models import User
from tests.admin_forms import change_form_data, change_url
from tests.contracts.factories import CallForProjectsFactory, ProposalFactory
from tests.helpers import assert_database_rejects, assert_invalid

CAVM, MEL = "CV2015-CAVM", "CV2015-MEL"


@pytest.fixture
def users(demo_data, db):
    return {name: User.objects.get(username=name) for name in ("coordination", "ars", "admin")}


def call_of(code: str, **kwargs) -> CallForProjects:
    return CallForProjectsFactory(contract=CityContract.objects.get(code=code), **kwargs)


def objective_of(code: str, number: str) -> Objective:
    return Objective.objects.get(section__contract__code=code, number=number)


# Rules, at full_clean and in the database --------------------------------------------------


@pytest.mark.django_db
def test_a_proposal_not_retained_states_its_published_reason():
    # Hazebrouck: « un travail d'explication et de transparence sur le pourquoi des actions
    # non retenues ».
    proposal = ProposalFactory.build(call=CallForProjectsFactory(), decision="not_retained")
    proposal.carrier.save()
    proposal.carrier_id = proposal.carrier.pk

    assert_invalid(proposal, "motif d'une action non retenue est obligatoire")
    assert_database_rejects(proposal)


@pytest.mark.django_db
def test_the_amount_granted_never_exceeds_the_amount_asked():
    proposal = ProposalFactory()
    proposal.decision = "retained"
    proposal.amount_granted = proposal.amount_asked + 1

    assert_invalid(proposal, "dépasse le montant demandé")
    assert_database_rejects(proposal)


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["pending", "not_retained"])
def test_only_a_retained_proposal_is_granted_an_amount(decision):
    proposal = ProposalFactory()
    proposal.decision = decision
    proposal.decision_reason = "Hors des orientations de l'appel."
    proposal.amount_granted = Decimal("100.00")

    assert_invalid(proposal, "Seule une action retenue reçoit un montant")
    assert_database_rejects(proposal)


@pytest.mark.django_db
def test_a_retained_proposal_has_an_amount_granted():
    proposal = ProposalFactory()
    proposal.decision = "retained"

    assert_invalid(proposal, "montant accordé")
    assert_database_rejects(proposal)


@pytest.mark.django_db
def test_a_call_closes_after_it_opens():
    call = CallForProjectsFactory.build(
        contract=CallForProjectsFactory().contract, opens_on="2016-03-01", closes_on="2016-02-01"
    )
    call.funder.save()
    call.funder_id = call.funder.pk

    assert_invalid(call, "La clôture doit suivre l'ouverture")
    assert_database_rejects(call)


def test_a_proposal_has_at_most_one_opinion_of_each_kind(users):
    proposal = ProposalFactory(call=call_of(CAVM))
    first = TechnicalOpinion.objects.create(
        proposal=proposal,
        kind="ars",
        author=users["ars"],
        verdict="favourable",
        reasons="Cohérent avec le PRS.",
    )
    second = TechnicalOpinion(
        proposal=proposal, kind="ars", author=users["ars"], verdict="reserved", reasons="Réservé."
    )

    assert_invalid(second, "déjà un avis de ce type")
    assert_database_rejects(second)
    assert first.pk is not None


def test_an_opinion_is_reasoned(users):
    opinion = TechnicalOpinion(
        proposal=ProposalFactory(), kind="ars", author=users["ars"], verdict="favourable"
    )

    assert_invalid(opinion, "Ce champ ne peut pas être vide")
    assert_database_rejects(opinion)


def test_only_a_health_proposal_receives_a_technical_opinion(users):
    opinion = TechnicalOpinion(
        proposal=ProposalFactory(is_health=False),
        kind="ars",
        author=users["ars"],
        verdict="favourable",
        reasons="Sans objet.",
    )

    assert_invalid(opinion, "Seules les actions « santé »")


# Opinions: the kind and the author come from the account ------------------------------------


@pytest.mark.parametrize(("username", "kind"), [("coordination", "coordinator"), ("ars", "ars")])
def test_the_kind_of_an_opinion_is_the_role_of_its_author(users, username, kind):
    proposal = ProposalFactory(call=call_of(CAVM))

    opinion = technical_opinion_give(
        proposal=proposal, author=users[username], verdict="reserved", reasons="À préciser."
    )

    assert (opinion.kind, opinion.author) == (kind, users[username])


def test_a_second_opinion_of_the_same_kind_revises_the_first(users):
    proposal = ProposalFactory(call=call_of(CAVM))
    technical_opinion_give(
        proposal=proposal, author=users["ars"], verdict="reserved", reasons="À préciser."
    )

    technical_opinion_give(
        proposal=proposal, author=users["ars"], verdict="favourable", reasons="Précisé."
    )

    assert list(proposal.opinions.values_list("kind", "verdict")) == [("ars", "favourable")]


def test_an_administrator_gives_no_technical_opinion(users):
    with pytest.raises(PermissionDenied):
        technical_opinion_give(
            proposal=ProposalFactory(call=call_of(CAVM)),
            author=users["admin"],
            verdict="favourable",
            reasons="Avis.",
        )


def test_a_coordinator_gives_no_opinion_on_another_territorys_proposal(users):
    with pytest.raises(PermissionDenied):
        technical_opinion_give(
            proposal=ProposalFactory(call=call_of(MEL)),
            author=users["coordination"],
            verdict="favourable",
            reasons="Avis.",
        )


def test_a_crafted_post_cannot_choose_the_kind_or_the_author_of_an_opinion(client, users):
    proposal = ProposalFactory(call=call_of(CAVM))
    client.force_login(users["coordination"])

    response = client.post(
        reverse("admin:contracts_technicalopinion_add"),
        {
            "proposal": proposal.pk,
            "kind": "ars",
            "author": users["ars"].pk,
            "verdict": "unfavourable",
            "reasons": "Doublon avec une action du CLS.",
            "created_at": "2001-01-01 00:00:00",
        },
    )

    assert response.status_code == 302
    opinion = proposal.opinions.get()
    assert (opinion.kind, opinion.author) == ("coordinator", users["coordination"])
    assert opinion.created_at.year > 2001


def test_the_ars_reviewer_cannot_change_the_coordinators_opinion(client, users):
    proposal = ProposalFactory(call=call_of(CAVM))
    opinion = technical_opinion_give(
        proposal=proposal, author=users["coordination"], verdict="favourable", reasons="Bien."
    )
    client.force_login(users["admin"])
    data = change_form_data(client.get(change_url(opinion)))
    client.force_login(users["ars"])

    response = client.post(change_url(opinion), {**data, "verdict": "unfavourable"})

    assert response.status_code == 403
    opinion.refresh_from_db()
    assert (opinion.verdict, opinion.author) == ("favourable", users["coordination"])


def test_the_ars_reviewer_gives_the_ars_opinion_from_the_admin(client, users):
    proposal = ProposalFactory(call=call_of(MEL))
    client.force_login(users["ars"])

    response = client.post(
        reverse("admin:contracts_technicalopinion_add"),
        {"proposal": proposal.pk, "verdict": "favourable", "reasons": "Cohérent avec le PRAPS."},
    )

    assert response.status_code == 302
    assert proposal.opinions.get().kind == "ars"


def test_a_coordinator_cannot_post_an_opinion_on_another_territory(client, users):
    proposal = ProposalFactory(call=call_of(MEL))
    client.force_login(users["coordination"])

    response = client.post(
        reverse("admin:contracts_technicalopinion_add"),
        {"proposal": proposal.pk, "verdict": "favourable", "reasons": "Avis."},
    )

    assert response.status_code == 200  # the form is refused
    assert not proposal.opinions.exists()


# The decision and the funding it becomes --------------------------------------------------


def test_a_retained_proposal_becomes_an_action_funded_by_the_call(users):
    call = call_of(CAVM, year=2017, programme="p147")
    proposal = ProposalFactory(call=call, amount_asked=Decimal("8000.00"))
    objective = objective_of(CAVM, "2.1")

    proposal_decide(
        proposal=proposal,
        retained=True,
        reason="Répond à l'orientation 2.",
        amount_granted=Decimal("6000.00"),
        objective=objective,
        user=users["coordination"],
    )

    proposal.refresh_from_db()
    action, funding = proposal.action, proposal.funding
    assert proposal.decision == "retained"
    assert (action.objective, action.title, action.carrier) == (
        objective,
        proposal.title,
        proposal.carrier,
    )
    assert (funding.action, funding.funder, funding.year, funding.programme, funding.amount) == (
        action,
        call.funder,
        2017,
        "p147",
        Decimal("6000.00"),
    )


def test_deciding_again_updates_the_same_action_and_funding_line(users):
    proposal = ProposalFactory(call=call_of(CAVM))
    decide = {"proposal": proposal, "retained": True, "reason": "", "user": users["coordination"]}
    proposal_decide(**decide, amount_granted=Decimal("1000"), objective=objective_of(CAVM, "2.1"))

    proposal_decide(**decide, amount_granted=Decimal("2000"), objective=objective_of(CAVM, "2.2"))

    funding = ActionFunding.objects.get(action__proposals=proposal)
    assert funding.amount == Decimal("2000")
    assert funding.action.objective.number == "2.2"


def test_a_proposal_no_longer_retained_loses_its_funding_line(users):
    proposal = ProposalFactory(call=call_of(CAVM))
    proposal_decide(
        proposal=proposal,
        retained=True,
        reason="",
        amount_granted=Decimal("1000"),
        objective=objective_of(CAVM, "2.1"),
        user=users["coordination"],
    )
    funding_pk = proposal.funding.pk

    proposal_decide(
        proposal=proposal,
        retained=False,
        reason="Crédits épuisés.",
        amount_granted=None,
        user=users["coordination"],
    )

    proposal.refresh_from_db()
    assert (proposal.decision, proposal.amount_granted, proposal.funding) == (
        "not_retained",
        None,
        None,
    )
    assert not ActionFunding.objects.filter(pk=funding_pk).exists()


def test_not_retaining_without_a_reason_is_refused(users):
    proposal = ProposalFactory(call=call_of(CAVM))

    with pytest.raises(ValidationError):
        proposal_decide(
            proposal=proposal,
            retained=False,
            reason="",
            amount_granted=None,
            user=users["coordination"],
        )


def test_a_retained_proposal_goes_under_an_objective_of_the_calls_contract(users):
    proposal = ProposalFactory(call=call_of(CAVM))

    with pytest.raises(ValidationError):
        proposal_decide(
            proposal=proposal,
            retained=True,
            reason="",
            amount_granted=Decimal("10"),
            objective=objective_of(MEL, "3.1"),
            user=users["coordination"],
        )
    assert Proposal.objects.get(pk=proposal.pk).decision == "pending"


def test_a_coordinator_decides_only_on_their_territorys_proposals(users):
    proposal = ProposalFactory(call=call_of(MEL))

    with pytest.raises(PermissionDenied):
        proposal_decide(
            proposal=proposal,
            retained=False,
            reason="Hors sujet.",
            amount_granted=None,
            user=users["coordination"],
        )


def test_the_ars_reviewer_takes_no_decision(users):
    with pytest.raises(PermissionDenied):
        proposal_decide(
            proposal=ProposalFactory(call=call_of(CAVM)),
            retained=False,
            reason="Hors sujet.",
            amount_granted=None,
            user=users["ars"],
        )


# Admin --------------------------------------------------------------------------------------


def test_deciding_on_the_proposal_page_creates_the_action_and_its_funding(client, users):
    proposal = ProposalFactory(call=call_of(CAVM), amount_asked=Decimal("3000.00"))
    client.force_login(users["coordination"])
    data = change_form_data(client.get(change_url(proposal)))
    data.update(
        decision="retained",
        decision_reason="Retenue par l'élu.",
        amount_granted="2500.00",
        objective=objective_of(CAVM, "2.3").pk,
        action="",  # read-only: a crafted value is ignored
    )

    response = client.post(change_url(proposal), data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.action.objective.number == "2.3"
    assert proposal.funding.amount == Decimal("2500.00")


def test_the_proposal_page_refuses_a_retained_proposal_without_objective(client, users):
    proposal = ProposalFactory(call=call_of(CAVM))
    client.force_login(users["coordination"])
    data = change_form_data(client.get(change_url(proposal)))
    data.update(decision="retained", amount_granted="100.00")

    response = client.post(change_url(proposal), data)

    assert response.status_code == 200
    assert "Choisissez l&#x27;objectif" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).decision == "pending"


def test_the_call_page_sums_up_its_proposals(client, users):
    call = call_of(CAVM)
    ProposalFactory(call=call, amount_asked=Decimal("1000.00"))
    ProposalFactory(
        call=call,
        amount_asked=Decimal("2000.00"),
        decision="retained",
        amount_granted=Decimal("1500.00"),
    )
    ProposalFactory(
        call=call,
        amount_asked=Decimal("500.00"),
        decision="not_retained",
        decision_reason="Hors thématique.",
    )
    client.force_login(users["ars"])

    html = client.get(change_url(call)).content.decode()

    assert "3 proposition(s), dont 1 retenue(s), 1 non retenue(s) et 1 en attente" in html
    assert "Montant demandé : 3\u202f500,00 €" in html
    assert "Montant accordé : 1\u202f500,00 €" in html


def test_a_call_targets_orientations_of_its_own_contract(client, users):
    call = call_of(CAVM)
    client.force_login(users["coordination"])
    data = change_form_data(client.get(change_url(call)))

    for objective, message in (
        (objective_of(CAVM, "2.1"), "n&#x27;est pas une orientation"),
        (objective_of(MEL, "3"), "un autre contrat"),
    ):
        response = client.post(change_url(call), {**data, "orientations": [objective.pk]})
        assert message in response.content.decode()
    response = client.post(change_url(call), {**data, "orientations": [objective_of(CAVM, "2").pk]})
    assert response.status_code == 302
    assert list(call.orientations.values_list("number", flat=True)) == ["2"]


def test_another_territorys_coordinator_only_reads_a_call(client, users):
    call = call_of(MEL)
    client.force_login(users["coordination"])
    data = change_form_data(client.get(change_url(call)))

    response = client.post(change_url(call), {**data, "title": "Appel détourné"})

    assert response.status_code == 403
    assert CallForProjects.objects.get(pk=call.pk).title != "Appel détourné"
