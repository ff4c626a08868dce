"""Who works with whom on a territory: the published schemes that cover it, the organisations
around them and the people in their public role, as nodes and typed edges; and a deterministic
concentric layout to draw them as SVG (schemes inside, partners outside, each partner placed
near the schemes it works with).

Read in seven queries whatever the territory."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse

from devices.models import (
    Funding,
    GovernanceMember,
    MediatorPost,
    Organisation,
    Role,
    Scheme,
    SchemeLink,
    SchemeSignatory,
)
from devices.privacy import public_contact
from devices.public_filters import communes_of, scheme_in

EDGE_KINDS = {
    "porteur": "Porteur",
    "signataire": "Signataire",
    "financeur": "Financeur",
    "gouvernance": "Membre d'une instance de gouvernance",
    "employeur": "Employeur de médiateur·rice santé",
    "role": "Rôle d'une personne",
    "reference": "Établissement de référence",
    "lien": "Lien entre dispositifs",
}
EDGE_COLOURS = {
    "porteur": "#000091",
    "signataire": "#6a6af4",
    "financeur": "#b34000",
    "gouvernance": "#18753c",
    "employeur": "#a94645",
    "role": "#3a3a3a",
    "reference": "#716043",
    "lien": "#c3992a",
}
NODE_KINDS = {"scheme": "Dispositif", "organisation": "Organisation", "person": "Personne"}


@dataclass
class Node:
    key: str
    kind: str
    label: str
    detail: str = ""
    url: str = ""
    x: float = 0.0
    y: float = 0.0
    anchor: str = "start"
    label_x: float = 0.0


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    how: str


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_edge(self, source: Node, target: Node, kind: str, how: str) -> None:
        self.nodes.setdefault(source.key, source)
        self.nodes.setdefault(target.key, target)
        self.edges.append(Edge(source.key, target.key, kind, how))


def _scheme_node(scheme: Scheme) -> Node:
    return Node(
        key=f"s{scheme.pk}",
        kind="scheme",
        label=f"{scheme.kind} {scheme.name}",
        detail=scheme.get_kind_display(),
        url=reverse("scheme-page", kwargs={"uid": scheme.uid}),
    )


def _organisation_node(organisation: Organisation) -> Node:
    return Node(
        key=f"o{organisation.pk}",
        kind="organisation",
        label=organisation.acronym or organisation.name,
        detail=organisation.name if organisation.acronym else organisation.get_kind_display(),
    )


def _person_node(role: Role) -> Node:
    """A person in their public role: their name only if they agreed to publish their
    professional contact, otherwise the role's title (« Coordinateur·rice »)."""
    person = role.person
    contact = public_contact(person)
    organisation = str(person.organisation) if person.organisation_id else ""
    return Node(
        key=f"p{person.pk}",
        kind="person",
        label=contact["name"] if contact else role.get_kind_display(),
        detail=organisation,
    )


def territory_schemes(territory) -> QuerySet[Scheme]:
    return (
        Scheme.objects.published()
        .filter(scheme_in(communes_of(territory)))
        .select_related("carrier", "reference_hospital")
        .order_by("kind", "name", "pk")
    )


def partnership_graph(territory) -> Graph:
    """Every partnership around the published schemes that cover ``territory``."""
    graph = Graph()
    found = list(territory_schemes(territory))
    schemes = {scheme.pk: _scheme_node(scheme) for scheme in found}
    ids = list(schemes)
    for scheme in found:
        node = schemes[scheme.pk]
        graph.nodes[node.key] = node
        graph.add_edge(_organisation_node(scheme.carrier), node, "porteur", "porte")
        if scheme.reference_hospital_id:
            graph.add_edge(
                _organisation_node(scheme.reference_hospital),
                node,
                "reference",
                "établissement de référence (secteur psychiatrique)",
            )
    if ids:
        _partners(graph, schemes, ids)
    return graph


def _partners(graph: Graph, schemes: dict[int, Node], ids: list[int]) -> None:
    for signatory in (
        SchemeSignatory.objects.filter(scheme_id__in=ids)
        .select_related("organisation")
        .order_by("scheme_id", "organisation__name")
    ):
        graph.add_edge(
            _organisation_node(signatory.organisation),
            schemes[signatory.scheme_id],
            "signataire",
            f"signataire ({signatory.get_role_display()})",
        )
    years = defaultdict(set)
    funders = {}
    for funding in Funding.objects.filter(scheme_id__in=ids).select_related("funder"):
        years[(funding.funder_id, funding.scheme_id)].add(funding.year)
        funders[funding.funder_id] = funding.funder
    for (funder_id, scheme_id), funded in sorted(years.items()):
        span = ", ".join(str(year) for year in sorted(funded))
        graph.add_edge(
            _organisation_node(funders[funder_id]),
            schemes[scheme_id],
            "financeur",
            f"finance ({span})",
        )
    for post in (
        MediatorPost.objects.filter(scheme_id__in=ids)
        .select_related("employer")
        .order_by("scheme_id", "start_date", "pk")
    ):
        graph.add_edge(
            _organisation_node(post.employer),
            schemes[post.scheme_id],
            "employeur",
            f"emploie un·e médiateur·rice santé ({post.start_date:%Y}–{post.end_date:%Y})",
        )
    roles = (
        Role.objects.filter(scheme_id__in=ids)
        .select_related("person__organisation")
        .order_by("scheme_id", "kind", "person_id")
    )
    for role in roles:
        graph.add_edge(
            _person_node(role), schemes[role.scheme_id], "role", role.get_kind_display().lower()
        )
    for member in (
        GovernanceMember.objects.filter(body__scheme_id__in=ids)
        .select_related("body", "organisation", "role__person__organisation")
        .order_by("body__scheme_id", "body__kind", "pk")
    ):
        who = (
            _organisation_node(member.organisation)
            if member.organisation_id
            else _person_node(member.role)
        )
        how = f"membre du {member.body.get_kind_display()}"
        graph.add_edge(
            who,
            schemes[member.body.scheme_id],
            "gouvernance",
            how + (" (co-préside)" if member.chairs else ""),
        )
    links = (
        SchemeLink.objects.filter(
            Q(source_id__in=ids) | Q(target_id__in=ids),
            source__is_published=True,
            target__is_published=True,
        )
        .select_related("source", "target")
        .order_by("source__name", "kind", "target__name")
    )
    for link in links:
        source = schemes.get(link.source_id) or _scheme_node(link.source)
        target = schemes.get(link.target_id) or _scheme_node(link.target)
        graph.add_edge(source, target, "lien", link.get_kind_display().lower())


def only(graph: Graph, kind: str | None) -> Graph:
    """The graph restricted to one kind of edge (and the nodes they join, plus the schemes)."""
    if not kind:
        return graph
    edges = [edge for edge in graph.edges if edge.kind == kind]
    used = {edge.source for edge in edges} | {edge.target for edge in edges}
    nodes = {key: node for key, node in graph.nodes.items() if key in used or node.kind == "scheme"}
    return Graph(nodes=nodes, edges=edges)


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
