"""Coverage gaps: which 2024 priority neighbourhoods lack an ASV, a CLSM, a health mediator,
or an MSP or health centre, by the rule the page states."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.devices.factories import HealthStructureFactory, SchemeFactory
from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory
from tests.public.directory.conftest import DRAFT, HIDDEN_EMAIL, PRIVATE_EMAIL, PRIVATE_PHONE

pytestmark = pytest.mark.django_db

NEEDS = ["ASV", "CLSM", "Médiateur·rice santé", "MSP ou centre de santé"]


def coverage(client, query: str) -> dict[str, dict[str, str]]:
    response = client.get(reverse("coverage-gaps-csv") + query)
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return {row["Code du quartier"]: row for row in rows}


def covered(rows, code: str) -> dict[str, bool]:
    return {need: rows[code][need].startswith("Oui") for need in NEEDS}


def test_each_need_follows_the_stated_rule(client, world):
    rows = coverage(client, "?region=32")

    assert set(rows) == {"QN05971M", "QN05972M", "QN05973M"}
    # Lille Sud: the ASV lists Lille; the MSP stands in Lille; its mediator post has ended;
    # the CLSM of the MEL is only a project.
    assert covered(rows, "QN05971M") == {
        "ASV": True,
        "CLSM": False,
        "Médiateur·rice santé": False,
        "MSP ou centre de santé": True,
    }
    assert rows["QN05971M"]["ASV"] == "Oui : ASV Lille Sud"
    # Roubaix Nord: a current mediator post; the Dunkerque centre serves Roubaix.
    assert covered(rows, "QN05972M") == {
        "ASV": False,
        "CLSM": False,
        "Médiateur·rice santé": True,
        "MSP ou centre de santé": True,
    }
    # Dunkerque Centre: the ASV lists the 2015 neighbourhood it comes from.
    assert covered(rows, "QN05973M")["ASV"] is True
    assert rows["QN05973M"]["Nombre de manques"] == "2"


def test_a_clsm_covering_the_epci_covers_its_neighbourhoods(client, world):
    clsm = SchemeFactory(kind="CLSM", name="MEL", is_published=True, status="operational")
    clsm.epcis.set([world.mel])

    rows = coverage(client, f"?epci={world.mel.siren}")

    assert set(rows) == {"QN05971M", "QN05972M"}
    assert all(covered(rows, code)["CLSM"] for code in rows)


def test_unpublished_stopped_schemes_and_a_pass_cover_nothing(client, world):
    SchemeFactory(kind="CLSM", name=DRAFT, is_published=False).communes.set([world.paris])

    rows = coverage(client, "?departement=75")

    # A stopped ASV, an unpublished CLSM and a PASS in Paris: four gaps.
    assert covered(rows, "QN07501M") == dict.fromkeys(NEEDS, False)
    assert DRAFT not in str(rows)


def test_the_page_states_the_rule_counts_the_gaps_and_maps_the_neighbourhoods(client, world):
    text = client.get(reverse("coverage-gaps") + "?departement=59").content.decode()

    assert "Quand un quartier est-il couvert ?" in text
    assert "3 quartiers prioritaires dans ce territoire" in text
    assert '<span class="fr-h3">2</span><br>sans ASV' not in text
    assert '<span class="fr-h3">1</span><br>sans ASV' in text
    assert '<span class="fr-h3">3</span><br>sans CLSM' in text
    assert "quartiers=QN05971M,QN05972M,QN05973M" in text
    assert 'data-focus="QN05971M,QN05972M,QN05973M"' in text
    assert 'id="couverture-tableau"' in text and "/couverture.csv?departement=59" in text


def test_the_gap_filter_keeps_the_neighbourhoods_with_that_gap(client, world):
    rows = coverage(client, "?region=32&manque=mediator")

    assert set(rows) == {"QN05971M", "QN05973M"}


def test_without_a_territory_it_summarises_per_department(client, world):
    text = client.get(reverse("coverage-gaps")).content.decode()

    assert "Synthèse nationale par département" in text
    assert 'href="?departement=59">59 – Nord</a>' in text
    assert 'href="?departement=75">75 – Paris</a>' in text
    assert len(coverage(client, "")) == 4


def test_no_private_data_in_the_page_or_the_csv(client, world):
    responses = [
        client.get(reverse("coverage-gaps") + "?region=32").content,
        b"".join(client.get(reverse("coverage-gaps-csv") + "?region=32").streaming_content),
    ]
    for content in responses:
        text = content.decode("utf-8-sig")
        for private in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_EMAIL, "Discrète", DRAFT):
            assert private not in text


@pytest.mark.parametrize(
    "query, message",
    [
        ("?region=%00", "Région inconnue"),
        ("?departement=" + "9" * 400, "Département inconnu"),
        ("?epci=abc", "EPCI inconnu"),
        ("?departement=59&manque=zz", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_gets_a_french_error_and_the_csv_a_400(client, world, query, message):
    page = client.get(reverse("coverage-gaps") + query)
    export = client.get(reverse("coverage-gaps-csv") + query)

    assert page.status_code == 200 and message in page.content.decode()
    assert export.status_code == 400 and "Filtres invalides" in export.content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("coverage-gaps") + "?departement=59",
        reverse("coverage-gaps"),
        reverse("coverage-gaps-csv") + "?region=32",
    ],
)
def test_the_query_count_does_not_grow_with_the_neighbourhoods(client, world, url):
    few = _count(client, url)
    for number in range(30):
        commune = CommuneFactory(
            insee_code=f"59{600 + number}", department=world.nord, epci=world.mel
        )
        NeighbourhoodFactory(code=f"QN059{number:02d}X", epci=world.mel, communes=[commune])
        SchemeFactory(kind="ASV", is_published=True).communes.set([commune])
        HealthStructureFactory(commune=commune).communes_served.set([world.lille])

    assert _count(client, url) == few
