from dataclasses import dataclass, field

from contracts.models import HealthSection, Objective


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
