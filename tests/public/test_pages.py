"""Public detail pages: neighbourhood, commune, EPCI, contract, scheme, structure."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods.pages_charts import indicator_comparisons
from tests.devices.factories import HealthStructureFactory, SchemeFactory
from tests.public.pages_world import (
    DRAFT_OBJECTIVE,
    DRAFT_SCHEME,
    HIDDEN_STRUCTURE,
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    PROFESSIONAL_EMAIL,
    grow,
    pages_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return pages_world()


def urls(world) -> dict[str, str]:
    return {
        "neighbourhood": reverse("neighbourhood-page", args=[world.neighbourhood.code]),
        "commune": reverse("commune-page", args=[world.commune.insee_code]),
        "epci": reverse("epci-page", args=[world.epci.siren]),
        "contract": reverse("contract-page", args=[world.contract.code]),
        "scheme": reverse("scheme-page", args=[world.scheme.uid]),
        "structure": reverse("structure-page", args=[world.structure.uid]),
    }


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_has_one_h1_a_unique_title_and_captioned_tables(client, world):
    titles = set()
    for name, url in urls(world).items():
        html = text(client.get(url))
        assert html.count("<h1") == 1, name
        titles.add(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
        assert html.count("<table") == html.count("<caption>"), name
        assert '<th scope="col">' in html or "<table" not in html, name
        levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert 'class="fr-breadcrumb"' in html, name
    assert len(titles) == 6


def test_no_page_shows_drafts_unpublished_rows_or_private_data(client, world):
    for name, url in urls(world).items():
        html = text(client.get(url))
        for secret in (
            DRAFT_OBJECTIVE,
            DRAFT_SCHEME,
            HIDDEN_STRUCTURE,
            PRIVATE_EMAIL,
            PRIVATE_PHONE,
            "mediateur.prive@exemple.org",
            "0699887766",
        ):
            assert secret not in html, (name, secret)


def test_the_neighbourhood_page_tells_its_identity_and_links(client, world):
    html = text(client.get(urls(world)["neighbourhood"]))

    assert "Les Tilleuls" in html and world.neighbourhood.code in html
    assert reverse("neighbourhood-page", args=[world.previous.code]) in html
    assert reverse("commune-page", args=[world.commune.insee_code]) in html
    assert reverse("epci-page", args=[world.epci.siren]) in html
    assert reverse("contract-page", args=[world.contract.code]) in html
    assert "Quartiers jeunes et familiaux" in html
    assert "conseil.tilleuls@exemple.fr" in html
    assert reverse("scheme-page", args=[world.scheme.uid]) in html
    assert reverse("structure-page", args=[world.structure.uid]) in html
    assert "Dans le quartier" in html
    assert f"quartiers={world.neighbourhood.code}" in html


def test_the_previous_geography_links_forward(client, world):
    html = text(client.get(reverse("neighbourhood-page", args=[world.previous.code])))

    assert reverse("neighbourhood-page", args=[world.neighbourhood.code]) in html
    assert "Contour non disponible" in html


def test_a_secret_is_shown_as_secret_never_as_zero(client, world):
    html = text(client.get(urls(world)["neighbourhood"]))
    row = re.search(r"Taux de réussite au brevet</th>(.*?)</tr>", html, re.S).group(1)

    assert "secret statistique" in row
    assert ">0<" not in row and "0 %" not in row


def test_indicators_compare_only_with_references_that_exist(client, world):
    html = text(client.get(urls(world)["neighbourhood"]))
    population = re.search(r"Population municipale du quartier</th>(.*?)</tr>", html, re.S)
    poverty = re.search(r"Taux de pauvreté au seuil de 60 %</th>(.*?)</tr>", html, re.S)

    cells = re.findall(r"<td>(.*?)</td>", population.group(1))
    assert cells[1:3] == ["3\u202f120", "48\u202f000"]  # year, neighbourhood, commune
    assert cells[3:] == ["non disponible", "non disponible"]
    assert "41,5\u202f%" in poverty.group(1)
    assert poverty.group(1).count("non disponible") == 3
    # The commune's population is a reference, not an indicator of its own.
    assert "Population municipale de la commune</th>" not in html


def test_the_charts_are_svg_images_with_a_french_name_and_a_table(client, world):
    html = text(client.get(urls(world)["neighbourhood"]))
    charts = re.findall(
        r'<svg id="(graphique-indicateurs-\d+)" role="img"[^>]*aria-label="([^"]+)"', html
    )

    assert charts and all(label.startswith("Indicateurs du quartier") for _, label in charts)
    for chart_id, _ in charts:
        table_id = chart_id.replace("graphique", "tableau")
        assert f'id="{table_id}"' in html and f'href="#{table_id}"' in html
    assert "<script>" not in html and not re.search(r"\sstyle=", html)


def test_a_chart_draws_no_bar_for_a_secret_value(world):
    groups = indicator_comparisons(list(world.neighbourhood.indicator_values.all()))
    bars = [
        bar for group in groups for chart_group in group.chart.groups for bar in chart_group.bars
    ]
    secret = [bar for bar in bars if bar.text == "secret statistique"]

    assert len(secret) == 1 and not secret[0].has_value and secret[0].width == 0


def test_a_structure_far_away_in_another_commune_is_not_near(client, world):
    from django.contrib.gis.geos import Point

    HealthStructureFactory(
        name="Centre lointain", location=Point(5.0, 45.0, srid=4326), is_published=True
    )
    html = text(client.get(urls(world)["neighbourhood"]))

    assert "Centre lointain" not in html


def test_the_contract_page_shows_the_approved_numbered_tree_only(client, world):
    html = text(client.get(urls(world)["contract"]))

    assert "Accès aux soins" in html and "Bus santé" in html
    assert '<span class="section-tree__number">1</span>' in html
    assert "Version validée par l'ARS" in html
    assert DRAFT_OBJECTIVE not in html
    assert reverse("scheme-page", args=[world.scheme.uid]) in html


def test_a_contract_without_approval_says_so_without_draft_content(client, world):
    section = world.section
    section.is_published = False
    section.save()

    html = text(client.get(urls(world)["contract"]))

    assert "Volet santé en cours d'élaboration ou de relecture" in html
    assert "Bus santé" not in html and "Accès aux soins" not in html


def test_the_scheme_page_shows_the_published_professional_contact_only(client, world):
    html = text(client.get(urls(world)["scheme"]))

    assert PROFESSIONAL_EMAIL in html and "Inès Roussel" in html
    assert PRIVATE_EMAIL not in html and PRIVATE_PHONE not in html
    assert "Accès aux soins" in html  # thematic
    assert "fr-badge--success" in html  # operational
    assert re.search(r"25.000 €", html)


def test_a_coordinator_without_consent_is_not_named(client, world):
    person = world.scheme.roles.get().person
    person.publish_professional_contact = False
    person.save()

    html = text(client.get(urls(world)["scheme"]))

    assert "Inès" not in html and PROFESSIONAL_EMAIL not in html
    assert "n'a pas souhaité publier son contact" in html


def test_linked_schemes_show_both_directions_but_only_published(client, world):
    other = SchemeFactory(kind="CLSM", name="CLSM de Valbourg", is_published=True)
    world.scheme.outgoing_links.create(target=other, kind="coordinated_with")
    html = text(client.get(urls(world)["scheme"]))
    assert reverse("scheme-page", args=[other.uid]) in html
    assert DRAFT_SCHEME not in html

    back = text(client.get(reverse("scheme-page", args=[other.uid])))
    assert reverse("scheme-page", args=[world.scheme.uid]) in back
    assert "Coordonné avec" in back


def test_a_component_link_reads_the_other_way_on_the_whole_scheme(client, world):
    cls = SchemeFactory(cls_contract=True, name="CLS de Valbourg", is_published=True)
    world.scheme.outgoing_links.create(target=cls, kind="component_of")

    html = text(client.get(reverse("scheme-page", args=[cls.uid])))

    assert "A pour volet territorial" in html
    assert reverse("scheme-page", args=[world.scheme.uid]) in html


def test_mediator_posts_show_employer_and_neighbourhoods_never_the_person(client, world):
    html = text(client.get(reverse("scheme-page", args=[world.arms.uid])))

    assert "1 poste d'adulte-relais" in html
    assert reverse("neighbourhood-page", args=[world.neighbourhood.code]) in html
    post = world.arms.mediator_posts.get()
    assert post.mediator.last_name not in html
    assert "éligib" not in html.lower()


def test_the_structure_page_and_its_layer(client, world):
    html = text(client.get(urls(world)["structure"]))
    assert "Maison de santé pluriprofessionnelle (MSP)" in html
    layer = reverse("structure-geojson", args=[world.structure.uid])
    assert layer in html

    geojson = client.get(layer).json()
    assert geojson["features"][0]["geometry"]["coordinates"] == [3.005, 50.005]


def test_a_pass_shows_its_rhythm(client, world):
    structure = HealthStructureFactory(
        kind="pass",
        name="PASS de Valbourg",
        doctors=None,
        paramedics=None,
        consultation_every_days=14,
        is_published=True,
    )

    html = text(client.get(reverse("structure-page", args=[structure.uid])))

    assert "toutes les deux semaines" in html


def test_commune_and_epci_pages_list_both_geographies_and_what_covers_them(client, world):
    for name in ("commune", "epci"):
        html = text(client.get(urls(world)[name]))
        assert world.neighbourhood.code in html and world.previous.code in html, name
        assert "geographie=2024" in html and "geographie=2015" in html, name
        assert reverse("contract-page", args=[world.contract.code]) in html, name
        assert reverse("scheme-page", args=[world.scheme.uid]) in html, name
        assert reverse("structure-page", args=[world.structure.uid]) in html, name
        assert 'href="#tableau-quartiers"' in html and 'id="tableau-quartiers"' in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("neighbourhood-page", ["QN99999Z"]),
        ("commune-page", ["99999"]),
        ("epci-page", ["123456789"]),
        ("contract-page", ["CN-INCONNU"]),
        ("scheme-page", [uuid.uuid4()]),
        ("structure-page", [uuid.uuid4()]),
        ("structure-geojson", [uuid.uuid4()]),
    ],
)
def test_unknown_codes_are_a_french_404(client, db, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_unpublished_schemes_and_structures_are_a_404(client, world):
    assert client.get(reverse("scheme-page", args=[world.draft_scheme.uid])).status_code == 404
    hidden = world.hidden_structure
    assert client.get(reverse("structure-page", args=[hidden.uid])).status_code == 404
    assert client.get(reverse("structure-geojson", args=[hidden.uid])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/quartiers/" + "Q" * 5000 + "/",
        "/quartiers/Quartier%C3%A9%E2%82%AC/",
        "/quartiers/QN%0059/",
        "/quartiers/%00/",
        "/communes/2A%00/",
        "/communes/" + "9" * 500 + "/",
        "/epci/%F0%9F%8F%A5/",
        "/epci/20000000%00/",
        "/contrats/%00/",
        "/contrats/" + "C" * 3000 + "/",
        "/contrats/CV%E2%80%AE2015/",
        "/dispositifs/pas-un-uuid/",
    ],
)
def test_odd_codes_are_a_404_never_a_500(client, db, path):
    assert client.get(path).status_code == 404


def test_a_lower_case_code_finds_the_neighbourhood(client, world):
    response = client.get(reverse("neighbourhood-page", args=[world.neighbourhood.code.lower()]))

    assert response.status_code == 200


def test_no_page_is_a_menu_entry():
    from portal.navigation import PUBLIC_NAV

    names = {name for name, _ in PUBLIC_NAV}
    assert not names & {
        "neighbourhood-page",
        "commune-page",
        "epci-page",
        "contract-page",
        "scheme-page",
        "structure-page",
    }


# Query counts: constant whatever the number of related rows --------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page", ["neighbourhood", "commune", "epci", "contract", "scheme", "structure"]
)
def test_query_counts_do_not_grow_with_the_data(client, world, page, django_assert_num_queries):
    url = urls(world)[page]
    client.get(url)  # warm caches (sessions, content types) out of the count
    few = count_queries(client, url)
    grow(world, 6)

    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= 20


def test_a_territory_page_draws_one_geography_at_a_time(client, world):
    url = urls(world)["commune"]

    newest = text(client.get(url))
    older = text(client.get(url + "?geographie=2015"))
    garbage = text(client.get(url + "?geographie=%00" + "9" * 300))

    assert newest.count('class="public-map"') == 1
    assert f"geographie=2024&amp;quartiers={world.neighbourhood.code}" in newest
    assert f"geographie=2015&amp;quartiers={world.previous.code}" in older
    assert 'href="?geographie=2024#quartiers"' in older
    assert f"geographie=2024&amp;quartiers={world.neighbourhood.code}" in garbage


def test_a_long_list_of_codes_falls_back_to_the_whole_layer():
    from neighbourhoods.pages import MAX_LAYER_CODES, contours_url

    assert contours_url(2024, ["QN1"] * (MAX_LAYER_CODES + 1)).endswith("?geographie=2024")
    assert contours_url(2024, ["QN1", "QN2"]).endswith("&quartiers=QN1,QN2")


def test_amounts_of_one_unit_share_the_chart_scale():
    from decimal import Decimal

    from neighbourhoods.models import Indicator, IndicatorValue

    def value(code, amount):
        indicator = Indicator(code=code, label=code, unit="euro", source="INSEE", vintage="2017")
        return IndicatorValue(indicator=indicator, year=2017, value=Decimal(amount))

    (group,) = indicator_comparisons([value("d1", 5000), value("d9", 20000)])
    widths = {g.title: g.bars[0].width for g in group.chart.groups}

    assert widths["d1"] * 4 == pytest.approx(widths["d9"], abs=4)


def test_pages_answer_head_and_refuse_post(client, world):
    url = urls(world)["neighbourhood"]

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
