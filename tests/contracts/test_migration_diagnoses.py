"""The section's former diagnosis fields move into diagnosis rows, and back."""

import datetime

import pytest

from tests.migrations import MigrationStepper

MIGRATION = ("contracts", "0005_section_diagnoses_as_rows")


@pytest.fixture
def stepper(transactional_db):
    stepper = MigrationStepper()
    yield stepper
    stepper.latest()


def test_the_section_diagnosis_moves_into_a_diagnosis_row_and_back(stepper):
    old = stepper.before(MIGRATION)
    Epci = old.get_model("neighbourhoods", "Epci")
    Region = old.get_model("neighbourhoods", "Region")
    Department = old.get_model("neighbourhoods", "Department")
    region = Region.objects.create(code="32", name="Hauts-de-France")
    Department.objects.create(code="62", name="Pas-de-Calais", region=region)
    epci = Epci.objects.create(siren="246200729", name="CA du Boulonnais")
    Organisation = old.get_model("devices", "Organisation")
    carrier = Organisation.objects.create(name="CA du Boulonnais", kind="epci")
    asv = old.get_model("devices", "Scheme").objects.create(
        kind="ASV", name="Boulonnais", carrier=carrier
    )
    asv.epcis.add(epci)
    Contract = old.get_model("contracts", "CityContract")
    Section = old.get_model("contracts", "HealthSection")
    shared = Section.objects.create(
        contract=Contract.objects.create(
            code="A", name="A", generation="2015-2023", carrier_epci=epci
        ),
        diagnosis_date=datetime.date(2015, 3, 1),
        diagnosis_summary="Diagnostic partagé.",
        diagnosis_with_asv=True,
    )
    alone = Section.objects.create(
        contract=Contract.objects.create(code="B", name="B", generation="2015-2023"),
        diagnosis_summary="Diagnostic sans ASV listé.",
        diagnosis_with_asv=True,
    )
    empty = Section.objects.create(
        contract=Contract.objects.create(code="C", name="C", generation="2015-2023")
    )

    new = stepper.after(MIGRATION)
    Diagnosis = new.get_model("contracts", "HealthDiagnosis")
    moved = Diagnosis.objects.get(section=shared.pk)
    assert (moved.carried_out_on, moved.summary) == (
        datetime.date(2015, 3, 1),
        "Diagnostic partagé.",
    )
    assert list(moved.co_author_schemes.values_list("name", flat=True)) == ["Boulonnais"]
    assert Diagnosis.objects.get(section=alone.pk).method == "Diagnostic partagé avec l'ASV."
    assert not Diagnosis.objects.filter(section=empty.pk).exists()

    back = stepper.before(MIGRATION)
    sections = back.get_model("contracts", "HealthSection").objects
    restored = sections.get(pk=shared.pk)
    assert (restored.diagnosis_date, restored.diagnosis_summary, restored.diagnosis_with_asv) == (
        datetime.date(2015, 3, 1),
        "Diagnostic partagé.",
        True,
    )
    assert sections.get(pk=alone.pk).diagnosis_with_asv
    assert not sections.get(pk=empty.pk).diagnosis_with_asv
