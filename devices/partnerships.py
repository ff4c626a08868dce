"""The partnership map (/partenariats/): on an EPCI or a department, who works with whom
around the published health schemes, drawn as a server-rendered SVG graph with the table of
its edges as the accessible alternative."""

from django import forms
from django.shortcuts import render
from django.urls import reverse

from devices.partnership_graph import (
    EDGE_COLOURS,
    EDGE_KINDS,
    NODE_KINDS,
    only,
    partnership_graph,
)
from devices.partnership_layout import MAX_DRAWN_NODES, layout, short
from devices.public_filters import TerritoryForm, with_chosen
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood
from portal.public_cache import public_page

# The table lists at most this many edges (a department of a large metropolis has a few
# hundred); the page says how many more there are.
MAX_TABLE_EDGES = 500


class PartnershipForm(TerritoryForm):
    lien = forms.ChoiceField(
        label="Type de lien",
        choices=[("", "Tous les liens"), *EDGE_KINDS.items()],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, levels=("departement", "epci"), **kwargs)


@public_page
def partnerships(request):
    form = PartnershipForm(request.GET)
    territory = form.territory()
    kind = form.cleaned_data.get("lien", "")
    departments = Department.objects.order_by("code")
    # EPCIs with priority neighbourhoods (those of the city contracts), in the department.
    epcis = Epci.objects.filter(pk__in=Neighbourhood.objects.values("epci_id")).order_by("name")
    if form.cleaned_data.get("departement"):
        communes = Commune.objects.filter(department=form.cleaned_data["departement"])
        epcis = epcis.filter(pk__in=communes.values("epci_id"))
    context = {
        "title": "Carte des partenariats",
        "breadcrumb_data": {
            "links": [],
            "current": "Partenariats",
        },
        "form": form,
        "options": {
            "departments": [(c, f"{c} – {n}") for c, n in departments.values_list("code", "name")],
            "epcis": with_chosen(
                list(epcis.values_list("siren", "name")), form.cleaned_data.get("epci"), "siren"
            ),
        },
        "link_select": {
            "name": "lien",
            "id": "territoire-lien",
            "label": "Type de lien",
            "empty": "Tous les liens",
            "groups": [{"label": "", "options": list(EDGE_KINDS.items())}],
            "value": kind,
            "errors": form.errors.get("lien", []),
        },
        "territory": territory,
    }
    if territory is not None:
        graph = only(partnership_graph(territory), kind)
        drawing = layout(graph)
        for node in drawing.nodes:
            node.short = short(node.label)
        nodes = graph.nodes
        table = [
            {
                "who": nodes[edge.source],
                "whom": nodes[edge.target],
                "how": edge.how,
                "kind": EDGE_KINDS[edge.kind],
            }
            for edge in graph.edges
        ]
        name = territory.name if isinstance(territory, Epci) else str(territory)
        context.update(
            {
                "title": f"Carte des partenariats – {name}",
                "territory_name": name,
                "drawing": drawing,
                "table": table[:MAX_TABLE_EDGES],
                "table_hidden": max(len(table) - MAX_TABLE_EDGES, 0),
                "edge_count": len(table),
                "scheme_count": sum(1 for node in nodes.values() if node.kind == "scheme"),
                "partner_count": sum(1 for node in nodes.values() if node.kind != "scheme"),
                "legend": [(EDGE_KINDS[k], colour) for k, colour in EDGE_COLOURS.items()],
                "node_kinds": NODE_KINDS,
                "max_nodes": MAX_DRAWN_NODES,
            }
        )
        context["breadcrumb_data"] = {
            "links": [
                {"url": reverse("partnerships"), "title": "Partenariats"},
            ],
            "current": name,
        }
    return render(request, "public/devices/partnerships.html", context)
