"""The homes of the admin site (issue 8, « Tableaux de bord »): the coordinator's and the ARS
reviewer's, each showing its persona's rows and nobody else's, with a constant query count."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts.enums import ReviewStatus
from contracts.review_services import (
    health_section_submit,
    review_comment_post,
    review_request_changes,
    review_take,
)
from portal.enums import ReminderKind
from portal.models import Reminder
from tests.contracts.factories import (
    ActionFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.contracts.review_world import review_world
from tests.devices.factories import MediatorPostFactory, SchemeFactory
from tests.neighbourhoods.factories import CommuneFactory, EpciFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


@pytest.fixture
def homes():
    """The review world (section of territory A in the Nord), plus a section of territory B in
    the Nord and one in the Gironde, each with its own scheme and mediator post."""
    world = review_world()
    contract_a = world.section.contract
    nord = contract_a.department
    epci_a = contract_a.carrier_epci
    epci_b = world["coordinator_b"].epcis.get()
    gironde = world["ars_other_region"].departments.get()
    section_b = section_in(epci_b, nord, code="CV-B")
    section_gironde = section_in(EpciFactory(name="CA du Libournais"), gironde, code="CV-G")
    for epci, town in ((epci_a, "Valenciennes"), (epci_b, "Lille")):
        SchemeFactory(name=f"ASV de {town}").epcis.set([epci])
        arms = SchemeFactory(name=f"ARMS {town}", arms=True)
        arms.epcis.set([epci])
        MediatorPostFactory(scheme=arms, end_date=datetime.date(2030, 6, 30))
    world.people.update(section_b=section_b, section_gironde=section_gironde)
    return world


def section_in(epci, department, *, code):
    contract = CityContractFactory(
        code=code, name=f"Contrat {code}", carrier_epci=epci, department=department
    )
    section = HealthSectionFactory(contract=contract, is_published=False)
    objective = ObjectiveFactory(section=section, number="1", level=1, title="Accès aux soins")
    ActionFactory(objective=objective, title=f"Action de {code}")
    return section


def home(client, user, **params):
    client.force_login(user)
    response = client.get(HOME, params)
    assert response.status_code == 200
    return response


def text(response) -> str:
    return response.content.decode()


# Coordinator ---------------------------------------------------------------------------------


def test_the_coordinator_home_names_the_territory_and_lists_its_sections_only(client, homes):
    coordinator = homes["coordinator_a"]
    epci_a = homes.section.contract.carrier_epci
    epci_a.name = "CA Valenciennes Métropole"
    epci_a.save()
    response = home(client, coordinator)
    page = text(response)
    assert "Mes volets santé" in page
    assert "<strong>Mon territoire :</strong> CA Valenciennes Métropole" in page
    rows = response.context["sections"]
    assert [row.section for row in rows] == [homes.section]
    assert rows[0].next_step == "À soumettre à l'ARS par la coordination"
    assert str(homes["section_b"].contract) not in page


def test_the_coordinator_sees_the_state_round_and_next_step_after_submitting(client, homes):
    coordinator = homes["coordinator_a"]
    health_section_submit(section=homes.section, user=coordinator)
    row = home(client, coordinator).context["sections"][0]
    assert row.state == "Soumis à l'ARS"
    assert row.round_number == 1
    assert row.next_step == "À prendre en charge par l'ARS"


def test_the_coordinator_home_lists_their_schemes_and_posts_not_the_others(client, homes):
    page = text(home(client, homes["coordinator_a"]))
    assert "ASV de Valenciennes" in page
    assert "ARMS Valenciennes" in page
    assert "ASV de Lille" not in page
    assert "ARMS Lille" not in page
    page_b = text(home(client, homes["coordinator_b"]))
    assert "ASV de Lille" in page_b
    assert "ASV de Valenciennes" not in page_b


def test_the_coordinator_home_shows_their_reminders_only(client, homes):
    for user, message in (
        (homes["coordinator_a"], "Relancer le CLS de Valenciennes"),
        (homes["coordinator_b"], "Relancer le CLS de Lille"),
    ):
        Reminder.objects.create(
            kind=ReminderKind.RECORD_STALE,
            recipient=user,
            content_type=ContentType.objects.get_for_model(homes.section),
            object_id=homes.section.pk,
            message=message,
            first_found_on=datetime.date(2026, 3, 2),
        )
    page = text(home(client, homes["coordinator_a"]))
    assert "Relancer le CLS de Valenciennes" in page
    assert "Relancer le CLS de Lille" not in page


def test_the_coordinator_home_shows_the_latest_comments_of_others_on_their_sections(client, homes):
    coordinator, reviewer = homes["coordinator_a"], homes["ars_region"]
    review = health_section_submit(section=homes.section, user=coordinator)
    review_take(review=review, user=reviewer)
    review_comment_post(review=review, author=reviewer, body="Quel public pour le bus santé ?")
    review_comment_post(review=review, author=coordinator, body="Ma propre réponse.")
    other = health_section_submit(section=homes["section_b"], user=homes["coordinator_b"])
    review_take(review=other, user=reviewer)
    review_comment_post(review=other, author=reviewer, body="Remarque pour Lille.")

    page = text(home(client, coordinator))
    assert "Quel public pour le bus santé ?" in page
    assert "Ma propre réponse." not in page
    assert "Remarque pour Lille." not in page


# ARS reviewer --------------------------------------------------------------------------------


def submit_all(homes):
    health_section_submit(section=homes.section, user=homes["coordinator_a"])
    health_section_submit(section=homes["section_b"], user=homes["coordinator_b"])
    health_section_submit(section=homes["section_gironde"], user=homes["admin"])


def queued(response) -> list:
    return [row.section for row in response.context["queue"]]


def test_the_reviewer_queue_holds_the_submitted_sections_of_their_region_only(client, homes):
    submit_all(homes)
    response = home(client, homes["ars_region"])
    assert set(queued(response)) == {homes.section, homes["section_b"]}
    assert str(homes["section_gironde"].contract) not in text(response)
    assert queued(home(client, homes["ars_other_region"])) == [homes["section_gironde"]]


def test_the_queue_leaves_out_drafts_and_shows_round_and_age(client, homes):
    coordinator, reviewer = homes["coordinator_a"], homes["ars_region"]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        review = health_section_submit(section=homes.section, user=coordinator)
        review_take(review=review, user=reviewer)
        review_request_changes(review=review, user=reviewer)
        health_section_submit(section=homes.section, user=coordinator)
    with time_machine.travel(datetime.datetime(2026, 3, 14, 9, tzinfo=datetime.UTC), tick=False):
        response = home(client, reviewer)
    (row,) = response.context["queue"]  # section B is still a draft
    assert row.section == homes.section
    assert row.round_number == 2
    assert row.state == "Soumis à nouveau"
    assert row.days_waiting == 12
    assert "12 jours" in text(response)
    assert row.url == reverse("admin:contracts_review_change", args=[row.section.round_id])


def test_the_queue_filters_by_department_epci_and_state(client, homes):
    submit_all(homes)
    reviewer = homes["ars_region"]
    reviewer.departments.add(homes["section_gironde"].contract.department)
    section_a, section_b = homes.section, homes["section_b"]
    review_take(review=section_a.reviews.get(), user=reviewer)
    everything = {section_a, section_b, homes["section_gironde"]}

    assert set(queued(home(client, reviewer))) == everything
    gironde = homes["section_gironde"].contract.department
    assert queued(home(client, reviewer, department=gironde.pk)) == [homes["section_gironde"]]
    epci_b = section_b.contract.carrier_epci
    assert queued(home(client, reviewer, epci=epci_b.pk)) == [section_b]
    assert queued(home(client, reviewer, state=ReviewStatus.IN_REVIEW)) == [section_a]
    submitted = queued(home(client, reviewer, state=ReviewStatus.SUBMITTED))
    assert set(submitted) == {section_b, homes["section_gironde"]}


def test_an_epci_filter_finds_contracts_carried_by_one_of_its_communes(client, homes):
    submit_all(homes)
    epci = EpciFactory(name="CC du Pays de Mormal")
    commune = CommuneFactory(epci=epci, department=homes.section.contract.department)
    contract = homes["section_b"].contract
    contract.carrier_kind, contract.carrier_epci, contract.carrier_commune = (
        "commune",
        None,
        commune,
    )
    contract.save()
    assert queued(home(client, homes["ars_region"], epci=epci.pk)) == [homes["section_b"]]


def test_the_filters_offer_the_reviewers_area_only_and_are_labelled(client, homes):
    submit_all(homes)
    response = home(client, homes["ars_region"])
    form = response.context["filter_form"]
    assert list(form.fields["department"].queryset) == [homes.section.contract.department]
    assert homes["section_gironde"].contract.carrier_epci not in form.fields["epci"].queryset
    page = text(response)
    for name, label in (("department", "Département"), ("epci", "EPCI"), ("state", "État")):
        assert f'<label for="id_{name}">{label}' in page


def test_a_filter_outside_the_area_is_refused_not_applied(client, homes):
    submit_all(homes)
    gironde = homes["section_gironde"].contract.department
    response = home(client, homes["ars_region"], department=gironde.pk)
    assert response.context["filter_form"].errors
    assert set(queued(response)) == {homes.section, homes["section_b"]}


# Since my last visit -------------------------------------------------------------------------


NOW = timezone.now()


def at(hour: int):
    """Later today (the world was built just now: its own history comes first)."""
    return time_machine.travel(NOW + datetime.timedelta(hours=hour), tick=False)


def test_what_changed_since_the_last_visit_of_an_earlier_session(client, homes):
    reviewer = homes["ars_region"]
    objective = homes.section.objectives.get()
    gironde_objective = homes["section_gironde"].objectives.get()
    with at(1):
        objective.title = "Accès aux droits"
        objective.save()
    reviewer.dashboard_seen_at = NOW + datetime.timedelta(hours=2)
    reviewer.save()
    with at(3):
        objective.title = "Accès aux soins de premier recours"
        objective.save()
        gironde_objective.title = "Santé mentale en Gironde"
        gironde_objective.save()

    with at(4):
        response = home(client, reviewer)
    changes = response.context["changes"]
    assert [(c.what, c.subject) for c in changes] == [
        ("objectif", "1 Accès aux soins de premier recours")
    ]
    page = text(response)
    assert f"Depuis le {timezone.localtime(reviewer.dashboard_seen_at):%d/%m/%Y à %H:%M}" in page
    assert "Accès aux droits → Accès aux soins de premier recours" in page
    assert "Santé mentale en Gironde" not in page


def test_the_last_visit_stays_the_same_during_a_session_and_moves_on_at_the_next(client, homes):
    reviewer = homes["ars_region"]
    with at(1):
        first = home(client, reviewer)
    assert first.context["first_visit"]
    with at(2):
        again = home(client, reviewer)
    assert again.context["first_visit"]  # same session: same starting point
    reviewer.refresh_from_db()
    assert reviewer.dashboard_seen_at == NOW + datetime.timedelta(hours=2)

    client.logout()
    with at(5):
        next_session = home(client, reviewer)
    assert not next_session.context["first_visit"]
    assert next_session.context["since"] == NOW + datetime.timedelta(hours=2)


def test_a_section_submitted_since_the_last_visit_is_marked_new(client, homes):
    reviewer = homes["ars_region"]
    with at(1):
        health_section_submit(section=homes.section, user=homes["coordinator_a"])
    reviewer.dashboard_seen_at = NOW + datetime.timedelta(hours=2)
    reviewer.save()
    with at(3):
        health_section_submit(section=homes["section_b"], user=homes["coordinator_b"])
    with at(4):
        response = home(client, reviewer)
    rows = {row.section: row.is_new for row in response.context["queue"]}
    assert rows == {homes.section: False, homes["section_b"]: True}
    assert text(response).count('class="dashboard-new"') == 1


# Who sees which home -------------------------------------------------------------------------


def test_the_administrator_keeps_djangos_index_with_shortcuts(client, homes):
    submit_all(homes)
    response = home(client, homes["admin"])
    page = text(response)
    assert response.context["dashboard"] == "admin"
    assert "Raccourcis" in page
    assert reverse("territory_journal") in page
    assert "Volets santé à relire" not in page
    assert "Mes volets santé" not in page
    assert 'id="content-main"' in page and "app-contracts" in page  # the app list


def test_every_home_keeps_the_app_list(client, homes):
    for persona in ("coordinator_a", "ars_region"):
        page = text(home(client, homes[persona]))
        assert "Toutes les rubriques" in page
        assert "app-contracts" in page


@pytest.mark.parametrize("persona", ["partner", "anonymous"])
def test_partners_and_visitors_are_sent_to_the_login_page(client, homes, persona):
    user = homes[persona]
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Query counts --------------------------------------------------------------------------------


def grow(homes, count: int, start: int = 0) -> None:
    """``count`` more submitted sections in each coordinator's territory, some in a later round,
    with their schemes, posts, comments and reminders."""
    coordinator, reviewer = homes["coordinator_a"], homes["ars_region"]
    epci = homes.section.contract.carrier_epci
    nord = homes.section.contract.department
    for index in range(start, start + count):
        section = section_in(epci, nord, code=f"CV-N{index:03d}")
        review = health_section_submit(section=section, user=coordinator)
        if index % 2:
            review_take(review=review, user=reviewer)
            review_comment_post(review=review, author=reviewer, body=f"Remarque {index}")
            review_request_changes(review=review, user=reviewer)
            health_section_submit(section=section, user=coordinator)
        scheme = SchemeFactory()
        scheme.epcis.set([epci])
        post = MediatorPostFactory()
        post.scheme.epcis.set([epci])
        Reminder.objects.create(
            kind=ReminderKind.RECORD_STALE,
            recipient=coordinator,
            content_type=ContentType.objects.get_for_model(section),
            object_id=section.pk,
            message=f"Rappel {index}",
            first_found_on=timezone.localdate(),
        )


def count_queries(client, user, **params) -> int:
    client.force_login(user)
    client.get(HOME, params)  # the session's first visit stores its starting point
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "persona,params",
    [
        ("coordinator_a", {}),
        ("ars_region", {}),
        ("ars_region", {"state": ReviewStatus.SUBMITTED}),
    ],
)
def test_each_home_costs_the_same_queries_for_2_or_20_sections(client, homes, persona, params):
    if params:
        params["department"] = homes.section.contract.department.pk
        params["epci"] = homes.section.contract.carrier_epci.pk
    grow(homes, 2)
    few = count_queries(client, homes[persona], **params)
    grow(homes, 18, start=2)
    many = count_queries(client, homes[persona], **params)
    assert few == many
    assert many <= 25
