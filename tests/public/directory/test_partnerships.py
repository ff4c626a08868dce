"""The partnership map: who works with whom on a territory, as an SVG graph and a table."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Funding, SchemeSignatory
from devices.partnership_graph import Graph, Node
from devices.partnership_layout import layout
from tests.devices.factories import (
    MediatorPostFactory,
    OrganisationFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.public.directory.conftest import DRAFT, HIDDEN_EMAIL, PRIVATE_EMAIL, PRIVATE_PHONE

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[^>]+>")


def edges(client, query: str) -> set[tuple[str, str, str]]:
    """The table's rows as (who, with whom, how), each cell's first line."""
    response = client.get(reverse("partnerships") + query)
    assert response.status_code == 200
    text = response.content.decode()
    table = text[text.index('id="partenariats-tableau"') :]
    rows = set()
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            unescape(TAG.sub("", cell.split("<br>")[0])).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if len(cells) == 4:
            rows.add(tuple(cells[:3]))
    return rows


def test_it_links_schemes_to_their_partners(client, world):
    found = edges(client, f"?epci={world.mel.siren}")

    assert {
        ("Ville de Lille", "ASV Lille Sud", "porte"),
        ("CCAS de Roubaix", "CLSM Roubaix", "porte"),
        (
            "EPSM Lille-Métropole",
            "CLSM Roubaix",
            "établissement de référence (secteur psychiatrique)",
        ),
        ("ARS HdF", "CLSM Roubaix", "signataire (Agence régionale de santé)"),
        ("ARS HdF", "ASV Lille Sud", "finance (2024)"),
        (
            "CCAS de Roubaix",
            "ARMS Médiation Roubaix",
            "emploie un·e médiateur·rice santé (2016–2018)",
        ),
        ("Coordinateur·rice", "ASV Lille Sud", "coordinateur·rice"),
        ("Paul Publique", "CLSM Roubaix", "coordinateur·rice"),
        ("ASV Lille Sud", "CLSM Roubaix", "coordonné avec"),
    } <= found
    # Paris is not in the MEL.
    assert not any("Paris" in who or "Paris" in whom for who, whom, _ in found)


def test_governance_members_are_partners(client, world):
    found = edges(client, "?departement=75")

    assert (
        "ARS HdF",
        "CLS Paris Nord-Est",
        "membre du Comité de pilotage (COPIL) (co-préside)",
    ) in found


def test_the_kind_filter_keeps_one_kind_of_edge(client, world):
    found = edges(client, f"?epci={world.mel.siren}&lien=porteur")

    assert found and all(how == "porte" for _, _, how in found)


def test_unpublished_schemes_and_private_people_stay_out(client, world):
    text = client.get(reverse("partnerships") + "?departement=59").content.decode()

    for private in (DRAFT, PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_EMAIL, "Inès", "Discrète"):
        assert private not in text
    assert "Paul Publique" in text


def test_the_graph_is_an_svg_image_with_its_table(client, world):
    text = client.get(reverse("partnerships") + f"?epci={world.mel.siren}").content.decode()

    assert '<svg class="partnership-graph"' in text and 'role="img"' in text
    assert 'aria-labelledby="graphe-titre graphe-description"' in text
    assert text.count("<circle") >= 3 and "<line" in text
    assert 'href="#partenariats-tableau"' in text and '<th scope="col">avec qui</th>' in text
    # Coordinates are written with a dot whatever the locale.
    assert not re.search(r'x1="\d+,\d', text)


def test_without_a_territory_it_asks_for_one(client, world):
    text = client.get(reverse("partnerships")).content.decode()

    assert "Choisissez un département ou un EPCI" in text and "<svg class" not in text


def test_the_layout_is_deterministic_and_bounded():
    graph = Graph()
    schemes = [Node(key=f"s{i}", kind="scheme", label=f"Dispositif {i}") for i in range(5)]
    for i in range(100):
        partner = Node(key=f"o{i}", kind="organisation", label=f"Organisation {i}")
        graph.add_edge(partner, schemes[i % 5], "porteur", "porte")

    first, second = layout(graph, max_nodes=30), layout(graph, max_nodes=30)

    assert [(n.key, n.x, n.y) for n in first.nodes] == [(n.key, n.x, n.y) for n in second.nodes]
    assert len(first.nodes) == 30 and first.hidden_nodes == 75
    assert first.hidden_edges == 100 - len(first.edges)
    assert {n.key for n in first.nodes} >= {n.key for n in schemes}
    assert all(0 <= n.x <= first.width and 0 <= n.y <= first.height for n in first.nodes)


def test_the_page_says_what_the_graph_leaves_out(client, world, settings):
    scheme = world.asv_lille
    for _number in range(70):
        SchemeSignatory.objects.create(
            scheme=scheme, organisation=OrganisationFactory(), role="other"
        )

    text = client.get(reverse("partnerships") + f"?epci={world.mel.siren}").content.decode()

    assert "ne dessine que les 60 acteurs les plus reliés" in text


@pytest.mark.parametrize(
    "query, message",
    [
        ("?epci=%00", "EPCI inconnu"),
        ("?departement=" + "x" * 300, "Département inconnu"),
        ("?lien=zz&departement=59", "Sélectionnez un choix valide"),
        # A region is too wide for a readable graph: not a choice here.
        ("?region=32", "Choisissez un département ou un EPCI"),
    ],
)
def test_bad_input_gets_a_french_error(client, world, query, message):
    response = client.get(reverse("partnerships") + query)

    assert response.status_code == 200 and message in response.content.decode()


def test_the_query_count_does_not_grow_with_the_partners(client, world):
    url = reverse("partnerships") + f"?departement={world.nord.code}"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count()
    for _number in range(15):
        scheme = SchemeFactory(kind="ASV", is_published=True)
        scheme.communes.set([world.lille])
        SchemeSignatory.objects.create(
            scheme=scheme, organisation=OrganisationFactory(), role="other"
        )
        Funding.objects.create(
            scheme=scheme, funder=OrganisationFactory(), year=2024, programme="p147", amount=1
        )
        RoleFactory(scheme=scheme)
        MediatorPostFactory(scheme=SchemeFactory(kind="ARMS", is_published=True))
    assert count() == few
