"""The project cycle (seed 000): diagnosis → orientations → programming → evaluation, for a
scheme and for a health section."""

import datetime

import pytest
from django.urls import reverse

from contracts.cycle import Evaluation, HealthDiagnosis
from contracts.models import HealthSection
from devices.models import Organisation, Scheme
from portal.models import User
from tests.admin_forms import change_form_data
from tests.contracts.factories import (
    EvaluationFactory,
    HealthDiagnosisFactory,
    HealthSectionFactory,
)
from tests.devices.factories import SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [HealthDiagnosisFactory, EvaluationFactory])
def test_a_diagnosis_or_evaluation_belongs_to_a_scheme_or_a_section_not_both(factory):
    both = factory.build(scheme=SchemeFactory(), section=HealthSectionFactory())
    neither = factory.build()

    for row in (both, neither):
        assert_invalid(row, "à un dispositif ou à un volet santé, pas aux deux")
        assert_database_rejects(row)


@pytest.mark.django_db
def test_a_scheme_and_a_section_each_have_their_diagnoses_and_evaluations():
    scheme, section = SchemeFactory(), HealthSectionFactory()
    HealthDiagnosisFactory(scheme=scheme)
    EvaluationFactory(section=section)

    assert (scheme.health_diagnoses.count(), scheme.evaluations.count()) == (1, 0)
    assert (section.health_diagnoses.count(), section.evaluations.count()) == (0, 1)


@pytest.mark.django_db
def test_a_diagnosis_shared_with_an_asv_names_it_among_its_co_authors():
    diagnosis = HealthDiagnosisFactory(section=HealthSectionFactory())
    assert not diagnosis.shared_with_asv

    diagnosis.co_author_schemes.add(SchemeFactory(kind="ASV"))

    assert diagnosis.shared_with_asv


@pytest.mark.django_db
def test_an_evaluation_has_a_date_and_findings():
    evaluation = Evaluation(section=HealthSectionFactory())

    assert_invalid(evaluation, "Ce champ ne peut pas être vide")


@pytest.mark.django_db
def test_the_stage_is_one_of_the_four_steps_of_the_cycle():
    section = HealthSectionFactory.build(contract=HealthSectionFactory().contract, stage="vote")

    assert_invalid(section, "n’est pas un choix valide")


# Admin --------------------------------------------------------------------------------------


def section_url(section):
    return reverse("admin:contracts_healthsection_change", args=[section.pk])


def scheme_url(scheme):
    return reverse("admin:devices_scheme_change", args=[scheme.pk])


def test_the_coordinator_records_the_stage_and_an_evaluation_of_their_section(
    client, demo_data, db
):
    client.login(username="coordination", password="demo")
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    ars = Organisation.objects.filter(kind="ars").first()
    data = change_form_data(client.get(section_url(section)))
    data.update(
        {
            "stage": "evaluation",
            "evaluations-TOTAL_FORMS": "1",
            "evaluations-0-carried_out_on": "2017-06-30",
            "evaluations-0-findings": "Programmation réalisée aux deux tiers.",
            "evaluations-0-evaluators": [ars.pk],
        }
    )

    response = client.post(section_url(section), data)

    assert response.status_code == 302
    section.refresh_from_db()
    evaluation = section.evaluations.get()
    assert section.stage == "evaluation"
    assert evaluation.carried_out_on == datetime.date(2017, 6, 30)
    assert list(evaluation.evaluators.all()) == [ars]


def test_the_scheme_page_shows_its_cycle_and_participation(client, demo_data, db):
    client.login(username="ars", password="demo")
    scheme = Scheme.objects.get(kind="ASV", name="Boulonnais")
    HealthDiagnosisFactory(scheme=scheme, summary="Diagnostic de l'ASV du Boulonnais.")

    html = client.get(scheme_url(scheme)).content.decode()

    assert "Cycle de projet et participation des habitants" in html
    assert "Diagnostic de l&#x27;ASV du Boulonnais." in html
    assert 'class="participation-summary"' in html


def test_a_coordinator_cannot_add_a_diagnosis_to_another_territorys_scheme(client, demo_data, db):
    client.login(username="coordination", password="demo")
    scheme = Scheme.objects.get(kind="ASV", name="Boulonnais")
    client.force_login(User.objects.get(username="admin"))
    data = change_form_data(client.get(scheme_url(scheme)))
    client.login(username="coordination", password="demo")
    data.update(
        {
            "health_diagnoses-TOTAL_FORMS": "1",
            "health_diagnoses-0-carried_out_on": "2016-01-01",
            "health_diagnoses-0-summary": "Diagnostic posé de l'extérieur.",
        }
    )

    response = client.post(scheme_url(scheme), data)

    assert response.status_code == 403
    assert not HealthDiagnosis.objects.filter(scheme=scheme).exists()
