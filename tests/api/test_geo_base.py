"""The API base (portal/api/): cursor pages, ordering, search, change feed, exports, on the
regions resource."""

import pytest

from neighbourhoods.models import Region
from tests.api.problems import problem, problem_fields
from tests.neighbourhoods.factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    created = [
        RegionFactory(code=code, name=name)
        for code, name in [
            ("11", "Île-de-France"),
            ("32", "Hauts-de-France"),
            ("44", "Grand Est"),
            ("84", "Auvergne-Rhône-Alpes"),
            ("93", "Provence-Alpes-Côte d'Azur"),
        ]
    ]
    DepartmentFactory(code="59", name="Nord", region=created[1])
    DepartmentFactory(code="62", name="Pas-de-Calais", region=created[1])
    return created


def test_a_region_is_named_by_its_code_and_links_its_departments(client, regions):
    body = client.get("/api/v1/regions/32/").json()
    assert body["code"] == "32"
    assert body["url"] == "http://testserver/api/v1/regions/32/"
    assert [d["code"] for d in body["departments"]] == ["59", "62"]
    assert "id" not in body


def test_an_unknown_code_is_a_french_404(client, regions):
    response = client.get("/api/v1/regions/99/")
    assert response.status_code == 404
    assert "Aucune région n'a le code « 99 »" in response.json()["detail"]


def test_cursor_pages_cover_every_row_once_in_code_order(client, regions):
    seen, url = [], "/api/v1/regions/?page_size=2"
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert seen == ["11", "32", "44", "84", "93"]


def test_cursor_pages_stay_stable_when_rows_are_added_between_requests(client, regions):
    first = client.get("/api/v1/regions/?page_size=2").json()
    RegionFactory(code="01", name="Guadeloupe")  # sorts before the cursor: not repeated
    second = client.get(first["next"]).json()
    assert [row["code"] for row in second["results"]] == ["44", "84"]


def test_ordering_by_name_descending_with_stable_pages(client, regions):
    seen, url = [], "/api/v1/regions/?ordering=-name&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["name"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted((r.name for r in regions), reverse=True)


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=0", "page_size"),
        ("page_size=1001", "page_size"),
        ("page_size=abc", "page_size"),
        ("ordering=password", "ordering"),
        ("cursor=%%%garbage", "cursor"),
        ("cursor=cD1hYmM%3D&ordering=updated_at", "cursor"),  # p=abc: not a date
        ("updated_since=hier", "updated_since"),
        ("updated_since=2026-13-45T99:00:00", "updated_since"),
    ],
)
def test_bad_parameters_are_french_400s(client, regions, query, field):
    response = client.get(f"/api/v1/regions/?{query}")
    assert response.status_code == 400, response.content
    assert field in problem_fields(response)


def test_q_searches_the_name(client, regions):
    body = client.get("/api/v1/regions/?q=france").json()
    assert [row["code"] for row in body["results"]] == ["11", "32"]


def test_updated_since_keeps_the_rows_changed_since(client, regions, time_machine):
    time_machine.move_to("2030-01-01T10:00:00Z")
    Region.objects.get(code="44").save()
    body = client.get("/api/v1/regions/?updated_since=2030-01-01T09:00:00Z").json()
    assert [row["code"] for row in body["results"]] == ["44"]
    assert body["deleted"].startswith("http://testserver/api/v1/regions/deleted/?since=2030")
    # A '+' sent unencoded arrives as a space: the offset is still understood.
    body = client.get("/api/v1/regions/?updated_since=2030-01-01T10:30:00 01:00").json()
    assert [row["code"] for row in body["results"]] == ["44"]


def test_a_deleted_region_leaves_a_tombstone_in_the_feed(client, regions, time_machine):
    time_machine.move_to("2030-01-01T10:00:00Z")
    Region.objects.get(code="93").delete()
    body = client.get("/api/v1/regions/deleted/?since=2030-01-01T09:00:00Z").json()
    assert [(row["code"], row["deleted_at"][:10]) for row in body["results"]] == [
        ("93", "2030-01-01")
    ]
    assert client.get("/api/v1/regions/deleted/?since=2030-01-02").json()["results"] == []
    assert client.get("/api/v1/regions/deleted/?since=demain").status_code == 400


def test_csv_export_has_a_bom_semicolons_french_headers_and_every_row(client, regions):
    response = client.get("/api/v1/regions/?format=csv&page_size=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="regions-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffCode INSEE;Nom;Départements (codes)")
    lines = text.strip("\ufeff").splitlines()
    assert len(lines) == 1 + 5  # every row, not one page
    assert "32;Hauts-de-France;59, 62;" in text


def test_exports_follow_the_filters(client, regions):
    response = client.get("/api/v1/regions/?format=csv&q=france")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3


def test_csv_defuses_formulas(client, regions):
    RegionFactory(code="99", name='=HYPERLINK("http://evil")')
    text = b"".join(client.get("/api/v1/regions/?format=csv").streaming_content).decode()
    assert "'=HYPERLINK" in text


def test_xlsx_export_reads_back_with_openpyxl(client, regions):
    import io

    from openpyxl import load_workbook

    RegionFactory(code="99", name="=1+1")
    response = client.get(
        "/api/v1/regions/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 200
    assert 'attachment; filename="regions-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Code INSEE", "Nom")
    assert len(rows) == 1 + 6
    assert ("99", "=1+1") in [row[:2] for row in rows]  # a value, not a formula


@pytest.mark.parametrize("query", ["q=%00", "ordering=%00", "updated_since=2026%00", "x=%00"])
def test_a_nul_character_anywhere_in_the_query_is_a_400(client, regions, query):
    response = client.get(f"/api/v1/regions/?{query}")
    assert response.status_code == 400
    assert "caractère nul" in str(response.json())


def test_errors_are_json_even_when_an_export_is_asked(client, regions):
    response = client.get("/api/v1/regions/?format=csv&page_size=x&ordering=nope")
    assert response.status_code == 400
    assert "ordering" in problem_fields(response) or "page_size" in problem_fields(response)
    for export in ("xlsx", "geojson"):
        response = client.get(f"/api/v1/regions/?format={export}&ordering=nope")
        assert response.status_code in (400, 404)
        problem(response)


@pytest.mark.parametrize("rows", [1, 99])
def test_query_count_is_constant(client, django_assert_num_queries, rows):
    region = RegionFactory(code="32")
    for n in range(rows):
        RegionFactory(code=f"{n:02d}", name=f"Région {n}")
        DepartmentFactory(code=f"D{n}", name=f"Dép {n}", region=region)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/regions/?page_size=1000").status_code == 200
    with django_assert_num_queries(2):
        response = client.get("/api/v1/regions/?format=csv")
        b"".join(response.streaming_content)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/regions/32/").status_code == 200
