"""The public directory: filters, sort, pagination, and a CSV that lists the same rows."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.devices.factories import HealthStructureFactory
from tests.public.directory.conftest import (
    DRAFT,
    HIDDEN_EMAIL,
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    PUBLIC_EMAIL,
)

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<td><a href="/(?:dispositifs|structures)/[0-9a-f-]+/">([^<]+)</a></td>')


def page_names(client, query: str = "") -> list[str]:
    response = client.get(reverse("directory") + query)
    assert response.status_code == 200
    return [name.replace("&#x27;", "'") for name in ROW_LINK.findall(response.content.decode())]


def csv_rows(client, query: str = "") -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("directory-csv") + query)
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


ALL_PUBLISHED = {
    "Lille Sud",
    "Roubaix",
    "Paris Nord-Est",
    "Dunkerque",
    "Paris arrêté",
    "Médiation Roubaix",
    "Maison de santé Wazemmes",
    "Centre de santé de Dunkerque",
    "PASS Lariboisière",
}


def test_it_lists_every_published_scheme_and_structure_and_nothing_else(client, world):
    names = page_names(client)

    assert set(names) == ALL_PUBLISHED
    assert not any(DRAFT in name for name in names)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?region=11", {"Paris Nord-Est", "Paris arrêté", "PASS Lariboisière"}),
        # The CLSM covers the MEL as an EPCI; the Dunkerque centre serves Roubaix.
        (
            "?departement=59",
            {
                "Lille Sud",
                "Roubaix",
                "Dunkerque",
                "Médiation Roubaix",
                "Maison de santé Wazemmes",
                "Centre de santé de Dunkerque",
            },
        ),
        ("?commune=Roubaix", {"Roubaix", "Médiation Roubaix", "Centre de santé de Dunkerque"}),
        ("?commune=59350", {"Lille Sud", "Roubaix", "Maison de santé Wazemmes"}),
        ("?type=CLSM", {"Roubaix"}),
        (
            "?type=dispositif",
            {
                "Lille Sud",
                "Roubaix",
                "Paris Nord-Est",
                "Dunkerque",
                "Paris arrêté",
                "Médiation Roubaix",
            },
        ),
        (
            "?type=structure",
            {"Maison de santé Wazemmes", "Centre de santé de Dunkerque", "PASS Lariboisière"},
        ),
        ("?type=pass", {"PASS Lariboisière"}),
        ("?thematique=nutrition", {"Lille Sud"}),
        ("?statut=project", {"Roubaix"}),
        ("?etape=diagnosis", {"Lille Sud"}),
        ("?q=wazemmes", {"Maison de santé Wazemmes"}),
        ("?q=ccas+de+roubaix", {"Roubaix", "Médiation Roubaix"}),
        # Case and accents do not matter, in the query or in the names.
        ("?q=MEDIATION", {"Médiation Roubaix"}),
        ("?q=lariboisiere", {"PASS Lariboisière"}),
        ("?q=Paris+Arrete", {"Paris arrêté"}),
        ("?q=sant%C3%A9+wazemmes", {"Maison de santé Wazemmes"}),
        ("?departement=59&type=ASV", {"Lille Sud", "Dunkerque"}),
        ("?region=32&statut=operational&commune=Lille", {"Lille Sud"}),
    ],
)
def test_each_filter_narrows_the_list(client, world, query, expected):
    assert set(page_names(client, query)) == expected


def test_the_epci_filter_keeps_schemes_and_structures_of_its_communes(client, world):
    query = f"?epci={world.mel.siren}"

    assert set(page_names(client, query)) == {
        "Lille Sud",
        "Roubaix",
        "Médiation Roubaix",
        "Maison de santé Wazemmes",
        "Centre de santé de Dunkerque",
    }


def test_it_sorts_by_name_kind_and_commune_both_ways(client, world):
    by_name = page_names(client, "?tri=nom")
    assert by_name == sorted(by_name, key=str.lower)
    assert page_names(client, "?tri=-nom") == list(reversed(by_name))

    by_kind = page_names(client, "?tri=type")
    assert by_kind.index("Paris Nord-Est") < by_kind.index("Lille Sud")  # CLS before ASV
    assert by_kind.index("Médiation Roubaix") < by_kind.index("Maison de santé Wazemmes")
    assert by_kind[-1] == "PASS Lariboisière"

    by_commune = page_names(client, "?tri=commune&type=msp")
    assert by_commune == ["Maison de santé Wazemmes"]
    communes = page_names(client, "?tri=commune&departement=59&type=ASV")
    assert communes == ["Dunkerque", "Lille Sud"] or communes == ["Lille Sud", "Dunkerque"]


def test_pages_keep_the_filters_and_the_csv_has_every_page(client, world):
    for number in range(30):
        HealthStructureFactory(
            kind="centre", name=f"Centre {number:02d}", commune=world.lille, doctors=None
        )
    query = "?commune=59350&type=centre"

    first = client.get(reverse("directory") + query).content.decode()
    second = page_names(client, query + "&page=2")

    assert "31 résultats" not in first and "30 résultats" in first
    assert len(ROW_LINK.findall(first)) == 25 and len(second) == 5
    assert 'href="?commune=59350&amp;type=centre&amp;page=2"' in first
    assert "/annuaire.csv?commune=59350&amp;type=centre" in first
    _, rows = csv_rows(client, query)
    assert len(rows) == 1 + 30


@pytest.mark.parametrize(
    "query", ["", "?departement=59", "?type=ASV&tri=-nom", "?q=roubaix", "?region=11&tri=type"]
)
def test_the_csv_lists_the_same_rows_as_the_page(client, world, query):
    raw, rows = csv_rows(client, query)

    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["Catégorie", "Type", "Nom"]
    assert [row[2] for row in rows[1:]] == page_names(client, query)


def test_the_csv_is_named_with_the_date_and_semicolon_separated(client, world):
    response = client.get(reverse("directory-csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="annuaire-sante-{timezone.localdate().isoformat()}.csv"'
    )
    assert content.splitlines()[0].count(";") == 13


def test_the_csv_neutralises_formulas(client, world):
    HealthStructureFactory(name='=HYPERLINK("http://x")', commune=world.lille)
    HealthStructureFactory(name="@SUM(1+1)", commune=world.lille)

    _, rows = csv_rows(client, "?type=msp")

    names = {row[2] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names and "'@SUM(1+1)" in names
    assert not any(name.startswith(("=", "@")) for name in names)


def test_only_published_contacts_reach_the_csv(client, world):
    raw, rows = csv_rows(client)
    text = raw.decode("utf-8-sig")

    roubaix = next(row for row in rows if row[2] == "Roubaix")
    assert roubaix[10] == "Paul Publique (CCAS de Roubaix)" and roubaix[11] == PUBLIC_EMAIL
    for private in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_EMAIL, "Discrète", "paul.perso", DRAFT):
        assert private not in text


def test_no_private_data_on_the_page(client, world):
    text = client.get(reverse("directory")).content.decode()

    for private in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_EMAIL, "Discrète", DRAFT):
        assert private not in text


@pytest.mark.parametrize(
    "query, message",
    [
        ("?region=zz", "Région inconnue"),
        ("?departement=%00", "Département inconnu"),
        ("?epci=" + "9" * 500, "EPCI inconnu"),
        ("?commune=Atlantide", "Commune inconnue"),
        ("?type=zz", "Sélectionnez un choix valide"),
        ("?thematique=zz", "Thématique inconnue"),
        ("?q=" + "x" * 300, "au plus 100 caractères"),
        ("?tri=zz", "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_get_a_french_error_and_the_csv_a_400(client, world, query, message):
    page = client.get(reverse("directory") + query)
    export = client.get(reverse("directory-csv") + query)

    assert page.status_code == 200 and message in page.content.decode()
    # The bad filter is left out: every published row is still listed.
    assert set(ROW_LINK.findall(page.content.decode())) >= {"Lille Sud", "Roubaix"}
    assert export.status_code == 400 and "Filtres invalides" in export.content.decode()


def test_an_ambiguous_commune_name_asks_for_the_insee_code(client, world):
    from tests.neighbourhoods.factories import CommuneFactory

    CommuneFactory(insee_code="62001", name="Lille")

    page = client.get(reverse("directory") + "?commune=lille")

    assert "indiquez le code INSEE" in page.content.decode()


@pytest.mark.parametrize("number", ["0", "-1", "abc", "99999999999999999999", "%00"])
def test_garbage_page_numbers_fall_back_to_a_real_page(client, world, number):
    assert client.get(reverse("directory") + f"?page={number}").status_code == 200


def test_the_menu_names_the_three_pages(client, world):
    text = client.get(reverse("directory")).content.decode()

    for label in ("Annuaire", "Couverture", "Partenariats"):
        assert f">{label}</a>" in text
    assert 'href="/annuaire/" aria-current="page"' in text


def _more_rows(world, count: int) -> None:
    from tests.devices.factories import RoleFactory, SchemeFactory

    for number in range(count):
        scheme = SchemeFactory(kind="ASV", name=f"ASV {number}", is_published=True)
        scheme.communes.set([world.lille, world.roubaix])
        scheme.epcis.set([world.mel])
        scheme.thematics.set([world.nutrition])
        RoleFactory(scheme=scheme, kind="coordinator")
        HealthStructureFactory(name=f"MSP {number}", commune=world.lille)


@pytest.mark.parametrize(
    "url", [reverse("directory") + "?departement=59&tri=commune", reverse("directory-csv")]
)
def test_the_query_count_does_not_grow_with_the_rows(client, world, url):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        return len(queries)

    few = count()
    _more_rows(world, 40)
    assert count() == few


def test_the_chosen_epci_stays_selected_even_without_priority_neighbourhoods(client, world):
    from tests.neighbourhoods.factories import EpciFactory

    rural = EpciFactory(name="Communauté de communes rurale")

    national = client.get(reverse("directory")).content.decode()
    chosen = client.get(reverse("directory") + f"?epci={rural.siren}").content.decode()

    # Nationally the list holds the EPCIs of the city contracts only.
    assert "Communauté de communes rurale" not in national
    assert (
        f'<option value="{rural.siren}" selected>Communauté de communes rurale</option>' in chosen
    )
