"""Who may change what in the admin, for each persona, on the demo content."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from contracts.models import Action, HealthSection, Objective
from devices.models import Scheme
from neighbourhoods.models import Epci
from portal.accounts import account_create
from portal.enums import UserRole
from tests.admin_forms import change_url


@pytest.fixture
def personas(demo_data, db):
    mel = account_create(
        username="coordination-mel",
        password="demo",
        role=UserRole.COORDINATOR,
        epcis=Epci.objects.filter(siren="200093201"),
    )
    partner = account_create(username="partenaire", password="demo", role=UserRole.PARTNER)
    return {"mel": mel, "partner": partner}


def section(code):
    return HealthSection.objects.get(contract__code=code)


def can_change(user, obj) -> bool:
    request = RequestFactory().get("/")
    request.user = user
    return site._registry[type(obj)].has_change_permission(request, obj)


def test_a_coordinator_edits_their_own_section_and_reads_the_others(client, personas):
    client.login(username="coordination", password="demo")

    own = client.get(change_url(section("CV2015-CAVM"))).content.decode()
    other = client.get(change_url(section("CV2015-MEL")))

    assert 'name="_save"' in own
    assert other.status_code == 200 and 'name="_save"' not in other.content.decode()
    assert client.post(change_url(section("CV2015-MEL")), {"title": "Piraté"}).status_code == 403
    assert section("CV2015-MEL").title.startswith("Axe santé")


def test_each_coordinator_is_bound_to_their_own_territory(personas):
    from portal.models import User

    valenciennes = User.objects.get(username="coordination")
    mel_objective = Objective.objects.get(section__contract__code="CV2015-MEL", number="3.1")
    cavm_action = Action.objects.filter(objective__section__contract__code="CV2015-CAVM").first()

    assert can_change(valenciennes, cavm_action) and not can_change(valenciennes, mel_objective)
    assert can_change(personas["mel"], mel_objective) and not can_change(
        personas["mel"], cavm_action
    )


def test_a_coordinator_cannot_hang_an_action_under_another_territory(client, personas):
    client.login(username="coordination", password="demo")
    mel_objective = Objective.objects.get(section__contract__code="CV2015-MEL", number="3.1")

    response = client.post(
        reverse("admin:contracts_action_add"),
        {
            "objective": mel_objective.pk,
            "title": "Action hors territoire",
            "status": "planned",
            "fundings-TOTAL_FORMS": "0",
            "fundings-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200  # the form comes back with its error
    assert "n&#x27;est pas dans votre territoire" in response.content.decode()
    assert not Action.objects.filter(title="Action hors territoire").exists()


def test_schemes_follow_the_territory_they_cover(personas):
    from portal.models import User

    tourcoing_asv = Scheme.objects.get(kind="ASV", name="Tourcoing")

    assert can_change(personas["mel"], tourcoing_asv)
    assert not can_change(User.objects.get(username="coordination"), tourcoing_asv)


def test_an_ars_reviewer_reviews_but_does_not_edit_sections(client, personas):
    from contracts.models import Review

    client.login(username="ars", password="demo")
    review = Review.objects.get(section__contract__code="CV2015-MEL")  # the round in review

    assert 'name="_save"' in client.get(change_url(review)).content.decode()
    page = client.get(change_url(section("CV2015-CAVM")))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url(section("CV2015-CAVM")), {"title": "x"}).status_code == 403


def test_a_partner_has_no_admin_access(client, personas):
    client.login(username="partenaire", password="demo")

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_public_has_no_admin_access(client, demo_data, db):
    response = client.get(change_url(section("CV2015-CAVM")))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_coordinator_filters_the_changelist_to_their_territory(client, personas):
    client.login(username="coordination", password="demo")
    url = reverse("admin:contracts_action_changelist")

    everything = client.get(url).content.decode()
    mine = client.get(url, {"territoire": "mine"}).content.decode()

    assert "Mon territoire" in everything
    assert "Médiation santé à Moulins et Wazemmes" in everything
    assert "Médiation santé à Moulins et Wazemmes" not in mine
    assert "Plan prévention alcool" in mine


def test_the_territory_filter_is_only_offered_to_coordinators(client, personas):
    client.login(username="ars", password="demo")

    page = client.get(reverse("admin:contracts_action_changelist")).content.decode()

    assert "Mon territoire" not in page
