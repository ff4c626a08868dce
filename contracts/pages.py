"""Public page of a city contract. Its health section is read only from the approved snapshot
(``contracts.review_selectors.published_snapshot``), never from the objectives being drafted."""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from contracts.models import CityContract, HealthSection, Signatory
from contracts.review_selectors import published_snapshot
from devices.models import Scheme
from neighbourhoods.models import Commune
from neighbourhoods.pages import map_of
from neighbourhoods.pages_selectors import french_sorted, neighbourhood_rows
from portal.public_cache import public_page

CONTRACT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}")

# The snapshot's action fields shown to the public, in this order (its funding lines and
# participation levels stay on the scheme pages, where their provenance is stated).
ACTION_FIELDS = ("porteur", "statut", "années", "dispositifs", "quartiers")


@dataclass
class TreeNode:
    """A node of the approved tree: an objective (with its number) or an action."""

    kind: str
    number: str
    title: str
    level: str = ""
    description: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    children: list["TreeNode"] = field(default_factory=list)


def snapshot_tree(snapshot: dict) -> list[TreeNode]:
    """The snapshot's flat, depth-annotated node list as a tree, in the snapshot's order."""
    roots: list[TreeNode] = []
    stack: list[tuple[int, TreeNode]] = []
    for node in snapshot.get("nodes", []):
        fields = node.get("fields", {})
        if node.get("kind") == "objective":
            item = TreeNode(
                "objective",
                fields.get("numéro", ""),
                fields.get("intitulé", ""),
                fields.get("niveau", ""),
                fields.get("description", ""),
            )
        else:
            item = TreeNode(
                "action",
                "",
                fields.get("intitulé", node.get("label", "")),
                description=fields.get("description", ""),
                facts=[(name, fields[name]) for name in ACTION_FIELDS if fields.get(name)],
            )
        depth = int(node.get("depth", 0))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(item)
        stack.append((depth, item))
    return roots


def _contract(code: str) -> CityContract | None:
    if not CONTRACT_CODE.fullmatch(code):
        return None
    return (
        CityContract.objects.select_related("carrier_epci", "carrier_commune", "department__region")
        .prefetch_related(
            Prefetch(
                "signatories",
                Signatory.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            Prefetch(
                "neighbourhoods",
                neighbourhood_rows().prefetch_related(
                    Prefetch("communes", Commune.objects.only("pk", "insee_code", "name"))
                ),
            ),
            Prefetch("communes", Commune.objects.order_by("name")),
        )
        .filter(code=code)
        .first()
    )


def _section(contract: CityContract) -> HealthSection | None:
    published = Scheme.objects.published().select_related("carrier").order_by("kind", "name")
    return (
        HealthSection.objects.select_related("constituted_by__carrier")
        .prefetch_related(Prefetch("contributing_schemes", published))
        .filter(contract=contract)
        .first()
    )


@public_page
@require_safe
def contract_page(request, code: str):
    contract = _contract(code)
    if contract is None:
        raise Http404("Contrat de ville inconnu.")
    section = _section(contract)
    snapshot = published_snapshot(section) if section is not None else None
    constituted_by = section.constituted_by if section else None
    if constituted_by is not None and not constituted_by.is_published:
        constituted_by = None
    neighbourhoods = list(contract.neighbourhoods.all())
    facts = (snapshot or {}).get("section", {})
    context = {
        "contract": contract,
        "signatories": list(contract.signatories.all()),
        "communes": french_sorted(contract.communes.all()),
        "neighbourhoods": neighbourhoods,
        "map": map_of(neighbourhoods, request),
        "section": section,
        "snapshot": snapshot,
        "section_title": facts.get("intitulé", ""),
        "section_stage": facts.get("étape du projet", ""),
        "tree": snapshot_tree(snapshot) if snapshot else [],
        "constituted_by": constituted_by,
        "contributing": list(section.contributing_schemes.all()) if section else [],
        "title": f"{contract.name} ({contract.code})",
        "breadcrumb_data": {
            "links": [
                {"url": reverse("home"), "title": "Accueil"},
                {"url": reverse("contract-list"), "title": "Contrats de ville"},
            ],
            "current": contract.name,
        },
    }
    return render(request, "public/pages/contract.html", context)
