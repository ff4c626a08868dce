from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from contracts.enums import ProposalDecision, ReviewStatus
from contracts.models import Action, CallForProjects, HealthSection, Objective, Proposal, Review
from devices.enums import ParticipationLevel
from devices.models import Scheme

# Review states in which a submitted section waits for the ARS (contracts.review_services).
AWAITING_REVIEW = (ReviewStatus.SUBMITTED, ReviewStatus.RESUBMITTED, ReviewStatus.IN_REVIEW)


@dataclass
class ObjectiveNode:
    objective: Objective
    children: list["ObjectiveNode"] = field(default_factory=list)


def objective_tree(section: HealthSection) -> list[ObjectiveNode]:
    """The section's objectives as a tree in numeric order (2.10 after 2.9), in two queries."""
    objectives = sorted(
        Objective.objects.filter(section=section).prefetch_related("actions"),
        key=lambda objective: objective.number_key,
    )
    nodes = {objective.pk: ObjectiveNode(objective) for objective in objectives}
    roots = []
    for objective in objectives:
        node = nodes[objective.pk]
        parent = nodes.get(objective.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def objective_lines(section: HealthSection) -> list[tuple[int, Objective]]:
    """Depth-first (depth, objective) pairs, for indented displays."""
    lines: list[tuple[int, Objective]] = []

    def walk(nodes: list[ObjectiveNode], depth: int) -> None:
        for node in nodes:
            lines.append((depth, node.objective))
            walk(node.children, depth + 1)

    walk(objective_tree(section), 0)
    return lines


# Participation aimed at and reached ---------------------------------------------------------


@dataclass
class ParticipationLine:
    label: str
    aimed: int
    reached: int


@dataclass
class ParticipationSummary:
    """How many actions aim at and reach each rung of Arnstein's ladder."""

    lines: list[ParticipationLine]
    actions: int
    below_aim: int  # actions whose reached level is lower than the aimed one


def participation_summary(actions: QuerySet[Action]) -> ParticipationSummary:
    """Distribution of the aimed and reached levels over ``actions``, in one query."""
    counts: dict[str, Count] = {"actions": Count("pk")}
    for side in ("aimed", "reached"):
        field = f"participation_{side}"
        for level in ParticipationLevel:
            counts[f"{side}_{level.value}"] = Count("pk", filter=Q(**{field: level}))
        counts[f"{side}_none"] = Count("pk", filter=Q(**{f"{field}__isnull": True}))
    counts["below_aim"] = Count("pk", filter=Q(participation_reached__lt=F("participation_aimed")))
    totals = actions.order_by().aggregate(**counts)
    lines = [
        ParticipationLine(
            level.label, totals[f"aimed_{level.value}"], totals[f"reached_{level.value}"]
        )
        for level in ParticipationLevel
    ]
    lines.append(ParticipationLine("Non renseigné", totals["aimed_none"], totals["reached_none"]))
    return ParticipationSummary(lines, totals["actions"], totals["below_aim"])


def section_participation(section: HealthSection) -> ParticipationSummary:
    return participation_summary(Action.objects.filter(objective__section=section))


def scheme_participation(scheme: Scheme) -> ParticipationSummary:
    # One scheme per filter: each action is counted once.
    return participation_summary(Action.objects.filter(schemes=scheme))


# Calls for projects --------------------------------------------------------------------------


@dataclass
class CallSummary:
    proposals: int
    retained: int
    not_retained: int
    pending: int
    amount_asked: Decimal
    amount_granted: Decimal


def call_summary(call: CallForProjects) -> CallSummary:
    """Counts and amounts of a call's proposals, in one query."""
    totals = Proposal.objects.filter(call=call).aggregate(
        proposals=Count("pk"),
        retained=Count("pk", filter=Q(decision=ProposalDecision.RETAINED)),
        not_retained=Count("pk", filter=Q(decision=ProposalDecision.NOT_RETAINED)),
        pending=Count("pk", filter=Q(decision=ProposalDecision.PENDING)),
        amount_asked=Coalesce(Sum("amount_asked"), Decimal(0), output_field=DecimalField()),
        amount_granted=Coalesce(Sum("amount_granted"), Decimal(0), output_field=DecimalField()),
    )
    return CallSummary(**totals)


def sections_stalled_in_review(*, untouched_since: datetime) -> QuerySet[HealthSection]:
    """Sections submitted for review whose review nobody has touched since ``untouched_since``
    (the « Rappels » of issue 8: submitted and untouched for 30 days)."""
    waiting = Review.objects.filter(status__in=AWAITING_REVIEW, updated_at__lt=untouched_since)
    return (
        HealthSection.objects.filter(pk__in=waiting.values("section"))
        .exclude(reviews__updated_at__gte=untouched_since)
        .select_related("contract")
    )
