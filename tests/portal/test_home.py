import pytest

from tests.contracts.factories import HealthSectionFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory


@pytest.mark.django_db
def test_the_home_page_counts_only_what_is_published(client, django_assert_max_num_queries):
    HealthSectionFactory(is_published=True)
    HealthSectionFactory(is_published=False)
    NeighbourhoodFactory()
    NeighbourhoodFactory(geography_2015=True)

    with django_assert_max_num_queries(4):
        response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="fr-h2 fr-mb-0">1</p> volets santé publiés' in html
    assert '<p class="fr-h2 fr-mb-0">1</p> quartiers prioritaires (géographie 2024)' in html
    assert '<p class="fr-h2 fr-mb-0">2</p> contrats de ville' in html
