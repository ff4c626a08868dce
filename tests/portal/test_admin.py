import pytest
from django.contrib import admin
from django.urls import reverse

from contracts.models import HealthSection

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def admin_client_with_demo(demo_data, db, client):
    client.login(username="admin", password="demo")
    return client


NO_ADD_PAGE = {
    ("contracts", "review"),
    ("portal", "inboxmessage"),
    ("portal", "apitoken"),
    ("portal", "apitokenuse"),
}


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_every_changelist_answers_with_bounded_queries(
    admin_client_with_demo, django_assert_max_num_queries, app, model
):
    with django_assert_max_num_queries(20):
        response = admin_client_with_demo.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_every_add_page_answers(admin_client_with_demo, app, model):
    response = admin_client_with_demo.get(reverse(f"admin:{app}_{model}_add"))

    # A review round is opened by submitting the section; inbox messages by the portal; API
    # tokens by their owners (« Mes jetons d'API »), their uses by the API.
    assert response.status_code == (403 if (app, model) in NO_ADD_PAGE else 200)


def test_the_health_section_page_shows_its_tree_in_numeric_order(admin_client_with_demo):
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")

    response = admin_client_with_demo.get(
        reverse("admin:contracts_healthsection_change", args=[section.pk])
    )

    html = response.content.decode()
    positions = [
        html.index(f"<strong>{n}</strong>")
        for n in ("2", "2.1", "2.1.1", "2.1.1.3", "2.2", "2.3.3.2")
    ]
    assert positions == sorted(positions)


def test_map_widgets_use_local_leaflet_assets(admin_client_with_demo):
    from neighbourhoods.models import Neighbourhood

    neighbourhood = Neighbourhood.objects.get(code="QN00216M")

    response = admin_client_with_demo.get(
        reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk])
    )

    html = response.content.decode()
    assert "leaflet/leaflet.js" in html
    assert "unpkg.com" not in html and "cdnjs" not in html
