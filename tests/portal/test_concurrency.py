"""No lost update: a save based on a stale page is refused, and neither edit is lost."""

import datetime
import threading
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contracts.models import Action, CityContract, HealthSection, Objective
from devices.models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Organisation,
    Person,
    Scheme,
    SchemeLink,
)
from neighbourhoods.models import Epci, FamilyMembership, Neighbourhood, Typology
from portal.accounts import account_create
from portal.admin_concurrency import VersionCheckedAdminMixin
from portal.concurrency import TRACKED, ConcurrentChange, ensure_unchanged, version_of
from portal.enums import UserRole
from tests.admin_forms import change_form_data, change_url
from tests.contracts.factories import EvaluationFactory, HealthDiagnosisFactory, ProposalFactory
from tests.devices.factories import PersonFactory
from tests.neighbourhoods.factories import IndicatorValueFactory, TypologyFamilyFactory

CONFLICT = "a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert"


def signed_in(username) -> Client:
    client = Client()
    client.login(username=username, password="demo")
    return client


@pytest.fixture
def two_coordinators(demo_data, db):
    account_create(
        username="coordination-2",
        password="demo",
        role=UserRole.COORDINATOR,
        epcis=Epci.objects.filter(accounts__username="coordination"),
    )
    return signed_in("coordination"), signed_in("coordination-2")


def cavm_section() -> HealthSection:
    return HealthSection.objects.get(contract__code="CV2015-CAVM")


def objective_field(data: dict, objective: Objective) -> str:
    """The name of the title input of ``objective`` in the section's inline."""
    prefix = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("objectives-") and key.endswith("-id") and value == str(objective.pk)
    )
    return f"{prefix}-title"


def test_the_second_of_two_coordinators_cannot_revert_the_first_ones_edits(two_coordinators):
    first, second = two_coordinators
    section = cavm_section()
    objective = section.objectives.get(number="2.1")
    first_page = change_form_data(first.get(change_url(section)))
    second_page = change_form_data(second.get(change_url(section)))

    first_page["title"] = "Volet santé révisé en comité de pilotage"
    first_page[objective_field(first_page, objective)] = "Objectif reformulé"
    assert first.post(change_url(section), first_page).status_code == 302
    second_page["health_diagnoses-0-summary"] = "Synthèse saisie par la seconde coordinatrice."
    response = second.post(change_url(section), second_page)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Ce volet santé {CONFLICT}" in html
    assert "Dernière modification enregistrée : par coordination le" in html
    assert f'href="{change_url(section)}"' in html  # reopen the fresh page
    assert "Synthèse saisie par la seconde coordinatrice." in html  # their input is kept
    section.refresh_from_db()
    objective.refresh_from_db()
    assert section.title == "Volet santé révisé en comité de pilotage"
    assert objective.title == "Objectif reformulé"
    assert section.health_diagnoses.get().summary != "Synthèse saisie par la seconde coordinatrice."


def test_a_refused_form_stays_refused_until_reopened(two_coordinators):
    first, second = two_coordinators
    section = cavm_section()
    first_page = change_form_data(first.get(change_url(section)))
    second_page = change_form_data(second.get(change_url(section)))
    first_page["title"] = "Première version"
    first.post(change_url(section), first_page)

    refused = second.post(change_url(section), {**second_page, "title": "Seconde version"})
    again = second.post(change_url(section), change_form_data(refused))

    assert CONFLICT in unescape(again.content.decode())
    assert cavm_section().title == "Première version"


def test_a_save_from_an_up_to_date_page_goes_through(two_coordinators):
    first, _ = two_coordinators
    section = cavm_section()
    page = change_form_data(first.get(change_url(section)))

    response = first.post(change_url(section), {**page, "title": "Titre à jour"})

    assert response.status_code == 302
    assert cavm_section().title == "Titre à jour"


def test_a_save_without_the_version_is_refused(two_coordinators):
    first, _ = two_coordinators
    section = cavm_section()
    page = change_form_data(first.get(change_url(section)))
    del page["_version"]

    response = first.post(change_url(section), {**page, "title": "Sans version"})

    assert CONFLICT in unescape(response.content.decode())
    assert cavm_section().title != "Sans version"


EDITED = [
    (HealthSection, {"contract__code": "CV2015-CAVM"}, "title", "Ce volet santé"),
    (Scheme, {"kind": "ASV", "name": "Tourcoing"}, "name", "Ce dispositif"),
    (Person, {"last_name": "Ferrand"}, "last_name", "Cette personne"),
    (CityContract, {"code": "CV2015-MEL"}, "name", "Ce contrat de ville"),
    (Neighbourhood, {"code": "QN00216M"}, "name", "Ce quartier"),
    (
        Objective,
        {"section__contract__code": "CV2015-CAVM", "number": "2.1"},
        "title",
        "Cet objectif",
    ),
    (Action, {"title__startswith": "Plan prévention alcool"}, "title", "Cette action"),
    (Typology, {"code": "insee-hdf-2016"}, "name", "Cette typologie"),
]


@pytest.mark.parametrize(("model", "lookup", "field", "subject"), EDITED)
def test_every_edit_page_with_inlines_refuses_a_stale_save(
    demo_data, db, model, lookup, field, subject
):
    first, second = signed_in("admin"), signed_in("admin")
    obj = model.objects.get(**lookup)
    first_page = change_form_data(first.get(change_url(obj)))
    second_page = change_form_data(second.get(change_url(obj)))

    saved = first.post(change_url(obj), {**first_page, field: "Première modification"})
    refused = second.post(change_url(obj), {**second_page, field: "Seconde modification"})

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert refused.status_code == 200
    html = unescape(refused.content.decode())
    assert subject in html and "par quelqu'un d'autre depuis que vous" in html
    assert getattr(model.objects.get(pk=obj.pk), field) == "Première modification"


def test_the_version_costs_one_query_whatever_the_number_of_inline_rows(demo_data, db):
    section = cavm_section()
    with CaptureQueriesContext(connection) as before:
        version_of(section)
    parent = section.objectives.get(number="2.1")
    Objective.objects.bulk_create(
        Objective(section=section, parent=parent, level=2, number=f"2.{n}", title=f"Ajout {n}")
        for n in range(50, 80)
    )

    with CaptureQueriesContext(connection) as after:
        version_of(section)

    assert len(before.captured_queries) == len(after.captured_queries) == 1


# Service level -----------------------------------------------------------------------------


def test_ensure_unchanged_accepts_an_object_nobody_touched(demo_data, db):
    scheme = Scheme.objects.get(kind="ASV", name="Tourcoing")

    ensure_unchanged(scheme, version_of(scheme))


def test_ensure_unchanged_refuses_an_object_whose_field_changed(demo_data, db):
    section = cavm_section()
    version = version_of(section)
    HealthSection.objects.filter(pk=section.pk).update(title="Changé ailleurs")

    with pytest.raises(ConcurrentChange) as conflict:
        ensure_unchanged(section, version)

    assert str(conflict.value).startswith(f"Ce volet santé {CONFLICT}")


def test_ensure_unchanged_refuses_an_object_whose_many_to_many_choice_changed(demo_data, db):
    scheme = Scheme.objects.get(kind="ASV", name="Tourcoing")
    version = version_of(scheme)
    scheme.neighbourhoods.remove(scheme.neighbourhoods.first())

    with pytest.raises(ConcurrentChange):
        ensure_unchanged(scheme, version)


def _demo_copil():
    # The demo's Boulonnais CLS has one already; another CLS gets one.
    body, _ = GovernanceBody.objects.get_or_create(
        scheme=Scheme.objects.filter(kind="CLS").order_by("pk").first(), kind="steering"
    )
    return body


INLINES = [(label, name) for label, tracked in TRACKED.items() for name in tracked.inlines]

# The demo holds no indicator value nor typology membership: the test makes one.
MAKE_ROW = {
    ("neighbourhoods.neighbourhood", "indicator_values"): lambda neighbourhood: (
        IndicatorValueFactory(neighbourhood=neighbourhood)
    ),
    ("neighbourhoods.neighbourhood", "memberships"): lambda neighbourhood: (
        FamilyMembership.objects.create(neighbourhood=neighbourhood, family=TypologyFamilyFactory())
    ),
    ("neighbourhoods.typologyfamily", "memberships"): lambda family: (
        FamilyMembership.objects.create(neighbourhood=Neighbourhood.objects.first(), family=family)
    ),
    ("contracts.healthsection", "evaluations"): lambda section: EvaluationFactory(section=section),
    ("contracts.callforprojects", "proposals"): lambda _: ProposalFactory(),
    ("devices.scheme", "health_diagnoses"): lambda scheme: HealthDiagnosisFactory(scheme=scheme),
    ("devices.scheme", "evaluations"): lambda scheme: EvaluationFactory(scheme=scheme),
    # Nor links between schemes, nor governance bodies.
    ("devices.scheme", "outgoing_links"): lambda scheme: SchemeLink.objects.create(
        source=scheme, target=Scheme.objects.exclude(pk=scheme.pk).first(), kind="coordinated_with"
    ),
    ("devices.governancebody", "members"): lambda _: GovernanceMember.objects.create(
        body=_demo_copil(), organisation=Organisation.objects.first()
    ),
    ("devices.governancebody", "meetings"): lambda _: GovernanceMeeting.objects.create(
        body=_demo_copil(), held_on=datetime.date(2016, 3, 1)
    ),
}


@pytest.mark.parametrize(("label", "relation"), INLINES)
def test_ensure_unchanged_refuses_an_object_whose_inline_row_was_deleted(
    demo_data, db, label, relation
):
    model = apps.get_model(label)
    if (label, relation) in MAKE_ROW:
        MAKE_ROW[label, relation](model.objects.order_by("pk").first())
    obj = next(o for o in model.objects.order_by("pk") if getattr(o, relation).exists())
    version = version_of(obj)
    getattr(obj, relation).order_by("pk").last().delete()

    with pytest.raises(ConcurrentChange):
        ensure_unchanged(obj, version)


def test_ensure_unchanged_refuses_an_object_whose_inline_row_changed(demo_data, db):
    person = Person.objects.get(last_name="Ferrand")
    version = version_of(person)
    person.roles.filter(pk=person.roles.first().pk).update(fte="0.8")

    with pytest.raises(ConcurrentChange) as conflict:
        ensure_unchanged(person, version)

    assert "Cette personne a été modifiée" in str(conflict.value)
    assert "l'avez ouverte" in str(conflict.value)


def test_every_inline_of_a_guarded_admin_is_part_of_the_version():
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, VersionCheckedAdminMixin):
            continue
        declared = set(TRACKED[model._meta.label_lower].inlines)
        for inline in model_admin.inlines:
            relations = {
                rel.get_accessor_name()
                for rel in model._meta.related_objects
                if rel.related_model is inline.model
            }
            assert relations & declared, f"{model.__name__}: {inline.__name__} not versioned"


def test_every_admin_editing_inline_rows_is_guarded():
    for model, model_admin in admin.site._registry.items():
        if model_admin.inlines:
            assert isinstance(model_admin, VersionCheckedAdminMixin), model.__name__
            assert model._meta.label_lower in TRACKED, model.__name__


def test_the_checked_row_stays_locked_until_the_save_commits(transactional_db):
    if not connection.features.has_select_for_update_nowait:
        pytest.skip("SQLite has no row locks: it lets one writer at a time in the whole file")
    person = PersonFactory()
    refused = []

    def another_save():
        try:
            with transaction.atomic():
                Person.objects.select_for_update(nowait=True).get(pk=person.pk)
        except DatabaseError as error:
            refused.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        ensure_unchanged(person, version_of(person))
        other = threading.Thread(target=another_save)
        other.start()
        other.join()

    assert refused, "another transaction could lock the row being saved"
