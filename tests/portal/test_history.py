"""History of changes (issue 8): recorded, shown in journals, restored by administrators only,
private fields kept from non-administrators, a constant number of queries."""

import datetime
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Objective
from devices.models import MediatorPost, Person
from portal.accounts import role_permissions
from portal.enums import UserRole
from portal.history import (
    area_territory,
    journal,
    section_journal,
    territory_sources,
    version_restore,
)
from tests.admin_forms import change_form_data, change_url
from tests.contracts.factories import CityContractFactory, HealthSectionFactory, ObjectiveFactory
from tests.devices.factories import MediatorPostFactory, PersonFactory, RoleFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def section_of(epci):
    return HealthSectionFactory(contract=CityContractFactory(carrier_epci=epci))


def edited(obj, user, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()
    return obj


def test_an_admin_edit_records_who_changed_which_field_before_and_after(client, world, persona):
    coordinator = persona("coordinator_a")
    section = section_of(world.valenciennes)
    client.force_login(coordinator)
    data = change_form_data(client.get(change_url(section)))
    data["title"] = "Volet santé révisé"

    assert client.post(change_url(section), data).status_code == 302

    last = section.history.order_by("-history_id").first()
    assert last.history_user == coordinator
    [entry, *_] = section_journal(section, user=coordinator)
    assert entry.who == (coordinator.get_full_name() or "coordination")
    assert ("intitulé", "Volet santé", "Volet santé révisé") in [
        (c.label, c.old, c.new) for c in entry.changes
    ]


def test_the_section_page_shows_changes_to_its_objectives(client, world, persona):
    coordinator = persona("coordinator_a")
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Accès aux soins")
    edited(objective, coordinator, title="Accès aux droits et aux soins")
    client.force_login(persona("ars"))

    page = client.get(change_url(objective.section)).content.decode()
    html = unescape(client.get(journal_page(objective.section)).content.decode())

    assert f'href="{journal_page(objective.section)}"' in page
    assert "intitulé : Accès aux soins → Accès aux droits et aux soins" in html


def test_the_scheme_page_shows_changes_to_its_mediator_posts(client, world, persona):
    post = MediatorPostFactory(scheme=SchemeFactory())
    edited(post, persona("admin"), renewals=1)
    client.force_login(persona("admin"))

    html = unescape(client.get(journal_page(post.scheme)).content.decode())

    assert "renouvellements : 0 → 1" in html


def journal_page(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_journal", args=[obj.pk])


def test_an_admin_restores_an_earlier_version(world, persona):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Avant")
    edited(objective, persona("coordinator_a"), title="Après")
    first = objective.history.order_by("history_id").first()

    version_restore(record=first, user=persona("admin"))

    objective.refresh_from_db()
    assert objective.title == "Avant"
    assert objective.history.order_by("-history_id").first().history_user == persona("admin")


@pytest.mark.parametrize("name", ["coordinator_a", "coordinator_b", "ars", "partner"])
def test_nobody_but_an_admin_restores_a_version(world, persona, name):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Avant")
    edited(objective, persona("admin"), title="Après")
    first = objective.history.order_by("history_id").first()

    with pytest.raises(PermissionDenied):
        version_restore(record=first, user=persona(name))

    objective.refresh_from_db()
    assert objective.title == "Après"


def restore_post(objective) -> dict:
    first = objective.history.order_by("history_id").first()
    return {"model": "contracts.objective", "history_id": str(first.history_id)}


def test_an_admin_restores_a_version_from_the_section_journal(client, world, persona):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Avant")
    edited(objective, persona("coordinator_a"), title="Après")
    client.force_login(persona("admin"))

    page = client.get(journal_page(objective.section)).content.decode()
    response = client.post(journal_page(objective.section), restore_post(objective))

    assert "Restaurer une version" in page and response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Avant"


@pytest.mark.parametrize("name", ["coordinator_a", "ars"])
def test_the_journal_page_offers_no_restore_to_others_and_refuses_a_crafted_one(
    client, world, persona, name
):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Avant")
    edited(objective, persona("admin"), title="Après")
    client.force_login(persona(name))

    page = client.get(journal_page(objective.section)).content.decode()
    response = client.post(journal_page(objective.section), restore_post(objective))

    assert "Restaurer une version" not in page and response.status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Après"


def test_a_version_the_page_does_not_show_is_not_restored(client, world, persona):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Avant")
    edited(objective, persona("admin"), title="Après")
    other_section = section_of(world.valenciennes)
    client.force_login(persona("admin"))

    response = client.post(journal_page(other_section), restore_post(objective))

    assert response.status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Après"


def person_with_changed_contact(world, persona):
    person = PersonFactory(email="camille@example.org", phone="03 27 00 00 00")
    role = RoleFactory(person=person, scheme=SchemeFactory())
    role.scheme.communes.set([world.valenciennes.communes.order_by("pk").first()])
    edited(person, persona("admin"), email="c.martin@example.org", phone="06 00 00 00 00")
    return person


@pytest.mark.parametrize("name", ["coordinator_a", "ars"])
def test_history_rows_never_show_contact_details_to_non_admins(world, persona, name):
    person = person_with_changed_contact(world, persona)
    entries = journal([Person.history.filter(id=person.pk)], user=persona(name))

    text = repr(entries)
    assert "example.org" not in text and "00 00" not in text


def test_history_rows_show_contact_details_to_admins(world, persona):
    person = person_with_changed_contact(world, persona)
    entries = journal([Person.history.filter(id=person.pk)], user=persona("admin"))

    assert "c.martin@example.org" in repr(entries)


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("coordinator_a", 200), ("coordinator_b", 403), ("ars", 403)],
)
def test_the_person_history_page_is_for_admins_and_their_coordinators(
    client, world, persona, name, status
):
    person = person_with_changed_contact(world, persona)
    client.force_login(persona(name))

    url = reverse("admin:devices_person_history", args=[person.pk])

    assert client.get(url).status_code == status


def test_no_role_reads_the_history_tables_directly():
    for role in (UserRole.COORDINATOR, UserRole.ARS_REVIEWER, UserRole.PARTNER):
        codenames = {p.codename for p in role_permissions(role)}
        assert "view_historicalperson" not in codenames
        assert "view_person" in codenames


def journal_url(**params):
    return f"{reverse('territory_journal')}?{urlencode(params)}"


def test_the_territory_journal_lists_changes_in_the_chosen_epci_only(client, world, persona):
    ours = ObjectiveFactory(section=section_of(world.valenciennes), title="Valenciennes")
    theirs = ObjectiveFactory(section=section_of(world.mel), title="Lille")
    edited(ours, persona("coordinator_a"), title="Valenciennes révisé")
    edited(theirs, persona("coordinator_b"), title="Lille révisé")
    client.force_login(persona("ars"))

    html = unescape(client.get(journal_url(epci=world.valenciennes.pk)).content.decode())

    assert "Valenciennes → Valenciennes révisé" in html
    assert "Lille révisé" not in html


def test_the_territory_journal_keeps_to_the_period(client, world, persona):
    objective = ObjectiveFactory(section=section_of(world.valenciennes), title="Ancien")
    Objective.history.filter(id=objective.pk).update(
        history_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    client.force_login(persona("ars"))

    html = client.get(journal_url(epci=world.valenciennes.pk, since="2025-01-01")).content
    older = client.get(
        journal_url(epci=world.valenciennes.pk, since="2019-12-31", until="2020-01-01")
    ).content

    assert "Ancien" not in unescape(html.decode())
    assert "Ancien" in unescape(older.decode())


def count_journal_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_territory_journal_is_paginated_in_a_constant_number_of_queries(client, world, persona):
    section = section_of(world.valenciennes)
    for i in range(60):
        ObjectiveFactory(section=section, number=str(i + 1), title=f"Objectif {i}")
    client.force_login(persona("ars"))
    url = journal_url(epci=world.valenciennes.pk)
    count_journal_queries(client, url)  # process-wide caches

    first, third = (
        count_journal_queries(client, url),
        count_journal_queries(client, url + "&page=3"),
    )
    html = unescape(client.get(url + "&page=3").content.decode())

    assert first == third <= 40, (first, third)
    assert "Page 3" in html and "Page précédente" in html


def test_the_territory_journal_reaches_mediator_posts_through_their_scheme(world, persona):
    scheme = SchemeFactory()
    scheme.communes.set([world.valenciennes.communes.order_by("pk").first()])
    post = MediatorPostFactory(scheme=scheme)
    sources = territory_sources(area_territory(epci=world.valenciennes))

    posts = next(s for s in sources if s.model is MediatorPost.history.model)
    assert posts.filter(id=post.pk).exists()


def test_the_admin_links_the_territory_journal(client, persona):
    client.force_login(persona("ars"))

    html = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("territory_journal")}"' in html


def test_the_territory_journal_asks_for_an_area(client, persona):
    client.force_login(persona("ars"))

    html = unescape(client.get(journal_url(since="2025-01-01")).content.decode())

    assert "Choisissez une région, un département ou un EPCI." in html


def test_money_and_dates_read_the_french_way_in_the_journal(world, persona):
    post = MediatorPostFactory(scheme=SchemeFactory())
    edited(post, persona("admin"), end_date=datetime.date(2018, 6, 30))

    [entry] = journal([MediatorPost.history.filter(id=post.pk)], user=persona("admin"), limit=1)

    assert ("fin du contrat", "31/12/2018", "30/06/2018") in [
        (c.label, c.old, c.new) for c in entry.changes
    ]
