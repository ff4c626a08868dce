"""A deterministic concentric layout of a partnership graph, for a server-rendered SVG:
schemes evenly on an inner circle, partners on an outer one, each partner near the schemes it
works with (the circular mean of their angles), so edges stay short and the picture is the same
for the same data."""

import math
from collections import defaultdict
from dataclasses import dataclass

from devices.partnership_graph import EDGE_COLOURS, Graph, Node


@dataclass
class Drawing:
    nodes: list[Node]
    edges: list[dict]
    width: int
    height: int
    hidden_nodes: int
    hidden_edges: int


MAX_DRAWN_NODES = 60
LABEL_LENGTH = 32
INNER, OUTER, MARGIN = 170.0, 330.0, 250.0


def _circular_mean(angles: list[float]) -> float:
    return math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles))) % (2 * math.pi)


def layout(graph: Graph, *, max_nodes: int = MAX_DRAWN_NODES) -> Drawing:
    """Schemes evenly on an inner circle, in (kind, name) order; partners on an outer circle,
    ordered by the mean angle of the schemes they work with, so that edges stay short. Only
    the ``max_nodes`` best-connected nodes are drawn (schemes first)."""
    degree = defaultdict(int)
    for edge in graph.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    ranked = sorted(
        graph.nodes.values(),
        key=lambda node: (node.kind != "scheme", -degree[node.key], node.label, node.key),
    )
    kept = {node.key for node in ranked[:max_nodes]}
    schemes = [node for node in ranked if node.key in kept and node.kind == "scheme"]
    schemes.sort(key=lambda node: (node.label, node.key))
    partners = [node for node in ranked if node.key in kept and node.kind != "scheme"]
    centre = OUTER + MARGIN
    angle_of = {}
    inner = INNER if len(schemes) > 1 else 0.0
    for index, node in enumerate(schemes):
        angle = 2 * math.pi * index / max(len(schemes), 1) - math.pi / 2
        angle_of[node.key] = angle
        _place(node, centre, inner, angle)
    neighbours = defaultdict(list)
    for edge in graph.edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            if b in angle_of:
                neighbours[a].append(angle_of[b])
    partners.sort(
        key=lambda node: (
            _circular_mean(neighbours[node.key]) if neighbours[node.key] else 0.0,
            node.kind,
            node.label,
            node.key,
        )
    )
    for index, node in enumerate(partners):
        angle = 2 * math.pi * index / max(len(partners), 1) - math.pi / 2
        _place(node, centre, OUTER, angle)
    drawn_nodes = schemes + partners
    edges = [
        {
            "x1": graph.nodes[edge.source].x,
            "y1": graph.nodes[edge.source].y,
            "x2": graph.nodes[edge.target].x,
            "y2": graph.nodes[edge.target].y,
            "colour": EDGE_COLOURS[edge.kind],
            "dashed": edge.kind in ("financeur", "lien"),
        }
        for edge in graph.edges
        if edge.source in kept and edge.target in kept
    ]
    size = int(2 * centre)
    return Drawing(
        nodes=drawn_nodes,
        edges=edges,
        width=size,
        height=int(2 * (OUTER + 60)),
        hidden_nodes=len(graph.nodes) - len(drawn_nodes),
        hidden_edges=len(graph.edges) - len(edges),
    )


def _place(node: Node, centre: float, radius: float, angle: float) -> None:
    node.x = round(centre + radius * math.cos(angle), 1)
    # The drawing is wider than high: squeeze the circle vertically so labels fit left/right.
    node.y = round(OUTER + 60 + radius * 0.9 * math.sin(angle), 1)
    node.anchor = "start" if math.cos(angle) >= -1e-9 else "end"
    node.label_x = node.x + (12 if node.anchor == "start" else -12)


def short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"
