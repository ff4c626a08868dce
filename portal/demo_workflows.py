"""What the demo's declarative table cannot say (who did what, in which order), played through
the real services once, after the table and the accounts are loaded (``portal.demo``): a step
already played is counted unchanged and left alone."""

import datetime
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from contracts.calls import Proposal
from contracts.models import ActionFunding, HealthSection, Objective, Review, ReviewComment
from portal.models import User

# Workflows -------------------------------------------------------------------------------
# What the declarative table cannot say (who did what, in which order) is played through the
# real services, once: a step already played is counted unchanged and left alone.

ROUND_DATES = {  # illustrative: the seeds date the comments only
    1: ("2016-10-20T09:00:00+01:00", "2016-11-18T16:00:00+01:00"),
    2: ("2016-12-05T09:00:00+01:00", "2016-12-15T11:00:00+01:00"),
}
CLSM_REPLY = (
    "Un CLSM est en réflexion avec la ville de Valenciennes ; l'objectif 2.2.2 précise "
    "désormais les actions de santé mentale (réponse illustrative)."
)
CLSM_REPLY_AT = "2016-11-25T10:00:00+01:00"
BOULONNAIS_CALL = "Appel à projets 2016 du contrat de ville du Boulonnais (illustratif)"
# proposal title: ((coordinator verdict, reasons), (ARS verdict, reasons), decision)
OPINIONS_AND_DECISIONS = {
    "Ateliers nutrition et activité physique en quartier prioritaire": (
        ("favourable", "Répond à l'objectif 1 du volet santé ; public des QPV bien ciblé."),
        ("favourable", "Cohérent avec le PRS (nutrition, activité physique)."),
        {"retained": True, "reason": "", "amount_granted": "6000", "objective": "1.1"},
    ),
    "Permanence santé mobile dans les centres sociaux": (
        ("reserved", "Doublon partiel avec la PASS et les permanences existantes."),
        ("unfavourable", "Pas de professionnel de santé identifié pour la permanence."),
        {
            "retained": False,
            "reason": "Projet à retravailler avec les acteurs de l'accès aux soins du territoire.",
            "amount_granted": None,
        },
    ),
}


def workflow_rows(directory: Path, name: str) -> list[dict]:
    """The rows of a file a workflow reads (not an entry of the table)."""
    return json.loads((directory / name).read_text(encoding="utf-8"))["rows"]


def _at(value: str):
    return datetime.datetime.fromisoformat(value)


def demo_review_rounds(counts: Counter, users: dict[str, User], directory: Path) -> None:
    """CAVM approved after two rounds, MEL in review, the others draft (issue 8)."""
    from contracts.review_services import (
        health_section_submit,
        review_answer_set,
        review_approve,
        review_comment_post,
        review_request_changes,
        review_take,
    )

    ars, coordination = users["ars"], users["coordination"]
    cavm = HealthSection.objects.get(contract__code="CV2015-CAVM")
    if cavm.reviews.exists():
        counts["unchanged"] += 1
    else:
        first = health_section_submit(section=cavm, user=coordination)
        first = review_take(review=first, user=ars)
        for row in workflow_rows(directory, "review_answers.json"):
            review_answer_set(
                review=first,
                user=ars,
                criterion=row["criterion"],
                answer=row.get("answer"),
                remark=row.get("remark", ""),
            )
        posted = []
        for row in workflow_rows(directory, "review_comments.json"):
            comment = review_comment_post(review=first, author=ars, body=row["body"])
            ReviewComment.objects.filter(pk=comment.pk).update(created_at=_at(row["created_at"]))
            posted.append(comment)
        first = review_request_changes(review=first, user=ars)
        reply = review_comment_post(
            review=first, author=coordination, body=CLSM_REPLY, parent=posted[-1]
        )
        ReviewComment.objects.filter(pk=reply.pk).update(created_at=_at(CLSM_REPLY_AT))
        second = health_section_submit(section=cavm, user=coordination)
        second = review_take(review=second, user=ars)
        second = review_approve(review=second, user=ars)
        for review in (first, second):
            submitted, decided = ROUND_DATES[review.number]
            Review.objects.filter(pk=review.pk).update(
                submitted_at=_at(submitted), decided_at=_at(decided)
            )
        counts["created"] += 1
    mel = HealthSection.objects.get(contract__code="CV2015-MEL")
    if mel.reviews.exists():
        counts["unchanged"] += 1
    else:
        review = health_section_submit(section=mel, user=users["coordination-mel"])
        review_take(review=review, user=ars)
        counts["created"] += 1


def demo_call_decisions(counts: Counter, users: dict[str, User]) -> None:
    """The Boulonnais coordinator's and the ARS's opinions on the health proposals, then the
    elected official's decisions (seed 000), given through the services."""
    from contracts.enums import OpinionKind, ProposalDecision
    from contracts.services_calls import proposal_decide, technical_opinion_give

    proposals = Proposal.objects.filter(
        call__contract__code="CV2015-BOULONNAIS", call__title=BOULONNAIS_CALL
    )
    for proposal in proposals.filter(title__in=OPINIONS_AND_DECISIONS):
        coordinator, ars, decision = OPINIONS_AND_DECISIONS[proposal.title]
        given = set(proposal.opinions.values_list("kind", flat=True))
        for kind, username, (verdict, reasons) in (
            (OpinionKind.COORDINATOR, "coordination-boulonnais", coordinator),
            (OpinionKind.ARS, "ars", ars),
        ):
            if kind in given:
                counts["unchanged"] += 1
                continue
            technical_opinion_give(
                proposal=proposal, author=users[username], verdict=verdict, reasons=reasons
            )
            counts["created"] += 1
        if proposal.decision != ProposalDecision.PENDING:
            counts["unchanged"] += 1
            continue
        objective = decision.get("objective")
        proposal_decide(
            proposal=proposal,
            retained=decision["retained"],
            reason=decision["reason"],
            amount_granted=Decimal(decision["amount_granted"])
            if decision["amount_granted"]
            else None,
            objective=Objective.objects.get(
                section__contract__code="CV2015-BOULONNAIS", number=objective
            )
            if objective
            else None,
            user=users["admin"],
        )
        # The amount granted is the demo's, not the seeds'.
        ActionFunding.objects.filter(pk=proposal.funding_id).update(illustrative=True)
        counts["created"] += 1


def demo_workflows(counts: Counter, directory: Path, usernames: tuple[str, ...]) -> None:
    """The demo's steps played through the services (review rounds, opinions, decisions), after
    the whole table and the accounts are loaded."""
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    demo_review_rounds(counts, users, directory)
    demo_call_decisions(counts, users)
