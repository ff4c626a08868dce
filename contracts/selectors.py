from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from contracts.enums import ReviewStatus
from contracts.models import HealthSection, Objective, Review

# Review states in which a submitted section waits for the ARS. The review rewrite (issue 8,
# « Relecture ») replaces them: this tuple and the selector below are the hook it adapts.
AWAITING_REVIEW = (ReviewStatus.PENDING, ReviewStatus.IN_PROGRESS)


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


def sections_stalled_in_review(*, untouched_since: datetime) -> QuerySet[HealthSection]:
    """Sections submitted for review whose review nobody has touched since ``untouched_since``
    (the « Rappels » of issue 8: submitted and untouched for 30 days)."""
    waiting = Review.objects.filter(status__in=AWAITING_REVIEW, updated_at__lt=untouched_since)
    return (
        HealthSection.objects.filter(pk__in=waiting.values("section"))
        .exclude(reviews__updated_at__gte=untouched_since)
        .select_related("contract")
    )
