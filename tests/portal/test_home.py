import pytest

from tests.contracts.factories import CityContractFactory, HealthSectionFactory
from tests.devices.factories import SchemeFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory


def figure(html: str, number: int, href: str, label: str) -> bool:
    return (
        f'<p class="fr-h2 fr-mb-0">{number}</p> <a class="fr-link" href="{href}">{label}</a>'
        in html
    )


@pytest.mark.django_db
def test_the_home_page_counts_only_what_is_published_and_links_each_figure_to_its_list(client):
    HealthSectionFactory(is_published=True)
    HealthSectionFactory(is_published=False)
    SchemeFactory(is_published=True)
    SchemeFactory(is_published=False)
    NeighbourhoodFactory()
    NeighbourhoodFactory(geography_2015=True)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, 2, "/contrats/", "contrats de ville")
    assert figure(html, 1, "/contrats/?volet_sante=publie", "volets santé publiés")
    assert figure(
        html, 1, "/quartiers/?geographie=2024", "quartiers prioritaires (géographie 2024)"
    )
    assert figure(html, 1, "/annuaire/?type=dispositif", "dispositifs de santé publiés")


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_home_page_runs_the_same_queries_whatever_the_data(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        HealthSectionFactory(contract=CityContractFactory())
        NeighbourhoodFactory()
        SchemeFactory(is_published=True)

    with django_assert_num_queries(4):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_home_page_has_a_search_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    assert '<form class="search-form" role="search" action="/recherche/" method="get"' in html
    assert '<label class="fr-label" for="recherche-q">' in html
    assert 'name="q"' in html and 'role="combobox"' in html
    assert 'aria-controls="recherche-suggestions"' in html
    assert 'id="recherche-suggestions" role="listbox"' in html
    assert 'aria-live="polite"' in html


@pytest.mark.django_db
def test_the_home_map_is_hidden_from_assistive_technologies_and_links_its_list(client):
    html = client.get("/").content.decode()

    assert 'data-layer="/carte/quartiers.geojson?geographie=2024"' in html
    assert 'aria-hidden="true"' in html and "data-zoom-reload" in html
    assert 'href="/quartiers/?geographie=2024"' in html
    assert "faute de contour connu" in html  # the legend says what the points are
    assert "<script>" not in html and 'style="' not in html
