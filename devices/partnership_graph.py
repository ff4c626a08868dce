"""Who works with whom on a territory: the published schemes that cover it, the organisations
around them and the people in their public role, as nodes and typed edges (drawn by ``devices.partnership_layout``).

Read in seven queries whatever the territory."""

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
