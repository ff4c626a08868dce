"""Writes on calls for projects: technical opinions and the elected official's decision.

The kind of an opinion and its author come from the signed-in account (a coordinator gives the
coordinator's opinion, an ARS reviewer the ARS one), never from a form field. A retained
proposal becomes an action of the health section, funded by the call for the call's year.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contracts.calls import Proposal, TechnicalOpinion
from contracts.enums import OpinionKind, ProposalDecision
from contracts.models import Action, ActionFunding, Objective
from neighbourhoods.territory import can_change, is_in_scope

if TYPE_CHECKING:  # the user model lives in the project package, above this app
    from portal.models import User

NO_OPINION_ROLE = "Seuls le coordonnateur santé et l'ARS donnent un avis technique."


def opinion_kind_for(user: "User") -> str | None:
    """The kind of opinion the account gives, from its role; None when it gives none."""
    if getattr(user, "is_coordinator", False):
        return OpinionKind.COORDINATOR
    if getattr(user, "is_ars_reviewer", False):
        return OpinionKind.ARS
    return None


@transaction.atomic
def technical_opinion_give(
    *, proposal: Proposal, author: "User", verdict: str, reasons: str
) -> TechnicalOpinion:
    """Gives (or revises) ``author``'s opinion on ``proposal``, of the kind their role gives."""
    kind = opinion_kind_for(author)
    if kind is None:
        raise PermissionDenied(NO_OPINION_ROLE)
    # A coordinator gives opinions on their own territory's proposals only.
    if not (author.has_perm("contracts.add_technicalopinion") and is_in_scope(author, proposal)):
        raise PermissionDenied("Cette proposition ne relève pas de votre territoire.")
    opinion = (
        TechnicalOpinion.objects.select_for_update().filter(proposal=proposal, kind=kind).first()
    )
    if opinion is None:
        opinion = TechnicalOpinion(proposal=proposal, kind=kind)
    opinion.author = author
    opinion.verdict = verdict
    opinion.reasons = reasons
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    retained: bool,
    reason: str,
    amount_granted: Decimal | None,
    objective: Objective | None = None,
    user: "User",
) -> Proposal:
    """Records the elected official's decision. A retained proposal becomes (or updates) an
    action under ``objective`` with a funding line of the call for the call's year; a proposal
    no longer retained loses that funding line (the action stays, with its history)."""
    if not can_change(user, proposal):
        raise PermissionDenied("Vous ne pouvez pas décider de cette proposition.")
    call = proposal.call
    proposal.decision = ProposalDecision.RETAINED if retained else ProposalDecision.NOT_RETAINED
    proposal.decision_reason = reason
    proposal.amount_granted = amount_granted if retained else None
    proposal.full_clean()
    if not retained:
        funding, proposal.funding = proposal.funding, None
        proposal.save()
        if funding is not None:
            funding.delete()
        return proposal
    objective = objective or (proposal.action.objective if proposal.action_id else None)
    if objective is None:
        raise ValidationError({"objective": "Choisissez l'objectif sous lequel placer l'action."})
    if objective.section.contract_id != call.contract_id:
        raise ValidationError(
            {"objective": "L'objectif doit appartenir au volet santé du contrat de l'appel."}
        )
    action = proposal.action or Action(start_year=call.year)
    action.objective = objective
    action.title = proposal.title
    action.description = proposal.description
    action.carrier = proposal.carrier
    action.full_clean()
    action.save()
    funding = proposal.funding or ActionFunding(action=action)
    funding.action = action
    funding.funder = call.funder
    funding.year = call.year
    funding.programme = call.programme
    funding.amount = amount_granted
    funding.full_clean()
    funding.save()
    proposal.action = action
    proposal.funding = funding
    proposal.save()
    return proposal
