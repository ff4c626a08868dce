"""Crafted admin requests from the Valenciennes coordinator against other territories' rows.

Each request is built from the page the coordinator really gets, then one value is changed.
"""

import pytest
from django.urls import reverse

from contracts.models import Action, CallForProjects, HealthSection, Objective, Proposal
from devices.models import HealthStructure, Organisation, Person, Role, Scheme
from neighbourhoods.models import Commune, Epci, Neighbourhood
from tests.admin_forms import add_url, change_form_data, change_url
from tests.devices.factories import RoleFactory

OUTSIDE = "n&#x27;est pas dans votre territoire"
FOREIGN_ROW = "relève d&#x27;un autre territoire"


def post_back(client, url, **changes):
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def coordinator(client, persona):
    client.force_login(persona("coordinator_a"))
    return client


def outside_a(model, persona, **filters):
    """A row of another territory than the Valenciennes coordinator's."""
    from neighbourhoods.territory import scope_for

    everything = model.objects.filter(**filters)
    mine = scope_for(persona("coordinator_a"), everything).values("pk")
    return everything.exclude(pk__in=mine).order_by("pk").first()


# Persons and their roles ---------------------------------------------------------------------


def test_a_coordinator_can_neither_rename_nor_delete_another_territorys_person(
    coordinator, persona
):
    person = outside_a(Person, persona, roles__isnull=False)

    renamed = coordinator.post(change_url(person), {"first_name": "X", "last_name": "Piraté"})
    deleted = coordinator.post(change_url(person).replace("change", "delete"), {"post": "yes"})

    assert (renamed.status_code, deleted.status_code) == (403, 403)
    assert Person.objects.filter(pk=person.pk).exclude(last_name="Piraté").exists()


def test_a_persons_role_in_another_territory_cannot_be_deleted_or_changed(
    coordinator, world, persona
):
    own = world.row_of_a(Role).person
    foreign = RoleFactory(person=own, scheme=outside_a(Scheme, persona), fte="0.20")
    url = change_url(own)
    data = change_form_data(coordinator.get(url))
    index = next(i for i in range(5) if data.get(f"roles-{i}-id") == str(foreign.pk))

    deleted = coordinator.post(url, {**data, f"roles-{index}-DELETE": "on"})
    changed = coordinator.post(url, {**data, f"roles-{index}-fte": "0.90"})

    assert FOREIGN_ROW in deleted.content.decode() and FOREIGN_ROW in changed.content.decode()
    assert str(Role.objects.get(pk=foreign.pk).fte) == foreign.fte


def test_a_role_cannot_be_moved_to_another_territorys_scheme(coordinator, world, persona):
    own = world.row_of_a(Role).person
    role = own.roles.get()
    foreign_scheme = outside_a(Scheme, persona)

    response = post_back(coordinator, change_url(own), **{"roles-0-scheme": foreign_scheme.pk})

    assert OUTSIDE in response.content.decode()
    assert Role.objects.get(pk=role.pk).scheme_id == role.scheme_id


# Foreign keys and many-to-many ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "foreign"),
    [
        (Action, "schemes", lambda p: [outside_a(Scheme, p).pk]),
        (Action, "neighbourhoods", lambda p: [outside_a(Neighbourhood, p).pk]),
        (Scheme, "epcis", lambda p: [outside_a(Epci, p).pk]),
        (Scheme, "communes", lambda p: [outside_a(Commune, p).pk]),
        (HealthSection, "constituted_by", lambda p: outside_a(Scheme, p, kind="CLS").pk),
        (HealthSection, "contributing_schemes", lambda p: [outside_a(Scheme, p, kind="ASV").pk]),
        (Proposal, "call", lambda p: outside_a(CallForProjects, p).pk),
        (HealthStructure, "commune", lambda p: outside_a(Commune, p).pk),
        (Objective, "section", lambda p: outside_a(HealthSection, p).pk),
        (Action, "objective", lambda p: outside_a(Objective, p).pk),
    ],
)
def test_a_coordinators_row_cannot_point_at_another_territory(
    coordinator, world, persona, model, field, foreign
):
    row = world.row_of_a(model)
    before = model.objects.filter(pk=row.pk).values_list(field, flat=True)
    before = sorted(before, key=str)
    data = change_form_data(coordinator.get(change_url(row)))
    value = foreign(persona)
    data[field] = value if not isinstance(value, list) else [*data.get(field, []), *value]

    response = coordinator.post(change_url(row), data)

    assert response.status_code == 200 and OUTSIDE in response.content.decode()
    after = model.objects.filter(pk=row.pk).values_list(field, flat=True)
    assert sorted(after, key=str) == before


def test_an_existing_row_of_another_territory_is_kept_on_save(coordinator, world, persona):
    """What another branch of the contract attached stays, and the page still saves."""
    action = world.row_of_a(Action)
    foreign = outside_a(Scheme, persona)
    action.schemes.add(foreign)

    response = post_back(coordinator, change_url(action), title="Titre revu")

    assert response.status_code == 302
    assert foreign in Action.objects.get(pk=action.pk).schemes.all()


# Add views -----------------------------------------------------------------------------------


def test_a_coordinator_cannot_add_a_scheme_carried_by_another_territory(coordinator, world):
    mel = Organisation.objects.get(acronym="MEL")
    data = change_form_data(coordinator.get(add_url(Scheme)))
    data.update(kind="CLS", name="CLS annexé", status="project", carrier=mel.pk)

    response = coordinator.post(add_url(Scheme), data)

    assert "doit relever de votre territoire" in response.content.decode()
    assert not Scheme.objects.filter(name="CLS annexé").exists()


def test_a_coordinator_adds_a_scheme_covering_their_territory(coordinator, world):
    commune = world.valenciennes.communes.order_by("pk").first()
    data = change_form_data(coordinator.get(add_url(Scheme)))
    ars = Organisation.objects.get(acronym="ARS HdF")  # placed nowhere: the communes place it
    data.update(
        kind="ASV", name="ASV du Hainaut", status="project", carrier=ars.pk, communes=[commune.pk]
    )

    response = coordinator.post(add_url(Scheme), data)

    assert response.status_code == 302, response.context["errors"]
    assert Scheme.objects.filter(name="ASV du Hainaut").exists()


def test_a_coordinator_cannot_add_a_health_structure_elsewhere(coordinator, persona):
    lille = Commune.objects.get(insee_code="59350")
    data = change_form_data(coordinator.get(add_url(HealthStructure)))
    data.update(kind="msp", name="MSP de Lille", commune=lille.pk)

    response = coordinator.post(add_url(HealthStructure), data)

    assert OUTSIDE in response.content.decode()
    assert not HealthStructure.objects.filter(name="MSP de Lille").exists()


def test_a_coordinator_cannot_add_an_objective_to_another_territorys_section(coordinator, persona):
    section = outside_a(HealthSection, persona)
    data = change_form_data(coordinator.get(add_url(Objective)))
    data.update(section=section.pk, level=1, number="9", title="Objectif annexé")

    response = coordinator.post(add_url(Objective), data)

    assert OUTSIDE in response.content.decode()
    assert not Objective.objects.filter(title="Objectif annexé").exists()


# Inline rows ---------------------------------------------------------------------------------


def test_an_inline_row_cannot_point_at_another_territorys_child(coordinator, world, persona):
    section = world.row_of_a(HealthSection)
    foreign = outside_a(Objective, persona)
    data = change_form_data(coordinator.get(change_url(section)))
    data.update({"objectives-0-id": foreign.pk, "objectives-0-title": "Objectif piraté"})

    response = coordinator.post(change_url(section), data)

    assert response.status_code == 200
    assert Objective.objects.get(pk=foreign.pk).title == foreign.title


def test_inline_rows_of_another_territorys_parent_cannot_be_added(coordinator, persona):
    section = outside_a(HealthSection, persona)
    count = section.objectives.count()

    response = coordinator.post(
        change_url(section),
        {
            "objectives-TOTAL_FORMS": "1",
            "objectives-INITIAL_FORMS": "0",
            "objectives-0-number": "9",
            "objectives-0-level": "1",
            "objectives-0-title": "Objectif ajouté",
        },
    )

    assert response.status_code == 403 and section.objectives.count() == count


# Bulk actions --------------------------------------------------------------------------------


def test_bulk_delete_refuses_a_selection_reaching_another_territory(coordinator, world, persona):
    own, foreign = world.row_of_a(Action), outside_a(Action, persona)

    response = coordinator.post(
        reverse("admin:contracts_action_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, foreign.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert Action.objects.filter(pk__in=[own.pk, foreign.pk]).count() == 2


def test_bulk_delete_of_own_rows_still_works(coordinator, world):
    own = world.row_of_a(Action)

    coordinator.post(
        reverse("admin:contracts_action_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )

    assert not Action.objects.filter(pk=own.pk).exists()


def test_deleting_a_person_does_not_cascade_into_another_territory(coordinator, world, persona):
    own = world.row_of_a(Role).person
    RoleFactory(person=own, scheme=outside_a(Scheme, persona))

    response = coordinator.post(change_url(own).replace("change", "delete"), {"post": "yes"})

    assert response.status_code == 403 and Person.objects.filter(pk=own.pk).exists()


# Autocomplete --------------------------------------------------------------------------------


def autocomplete(client, app, model, field, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": term},
    )
    return {row["text"] for row in response.json()["results"]}


def test_autocomplete_offers_only_attachable_rows(coordinator, world):
    lille = autocomplete(coordinator, "devices", "scheme", "communes", "Lille")
    valenciennes = autocomplete(coordinator, "devices", "scheme", "communes", "Valenciennes")
    schemes = autocomplete(coordinator, "contracts", "action", "schemes", "Lille")
    organisations = autocomplete(coordinator, "devices", "scheme", "carrier", "Lille")

    assert lille == set() and schemes == set()
    assert any("Valenciennes" in text for text in valenciennes)
    assert "CCAS de Lille" in organisations  # shared reference rows stay open


def test_autocomplete_offers_everything_to_an_administrator(client, persona):
    client.force_login(persona("admin"))

    assert any(
        "Lille" in text for text in autocomplete(client, "devices", "scheme", "communes", "Lille")
    )


# Read-only pages -----------------------------------------------------------------------------


def test_read_only_pages_say_why(coordinator, persona):
    other_section = coordinator.get(change_url(outside_a(HealthSection, persona))).content.decode()
    neighbourhood = coordinator.get(change_url(Neighbourhood.objects.first())).content.decode()

    assert "Lecture seule" in other_section and "autre territoire que le vôtre" in other_section
    assert "Lecture seule : votre rôle ne permet pas de modifier les quartiers" in neighbourhood
