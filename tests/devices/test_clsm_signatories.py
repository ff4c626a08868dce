"""Seed 003: « L'ARS peut accompagner financièrement des CLSM dans la mesure où la dynamique est
réelle. Dans ce cas elle est obligatoirement signataire du contrat, avec la collectivité et
l'établissement de santé. »"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from devices.models import Funding, SchemeSignatory
from devices.rules import scheme_signatories_check, scheme_signatories_gaps
from tests.admin_forms import change_form_data
from tests.devices.factories import OrganisationFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def clsm_funded_by(funder, **scheme_fields):
    clsm = SchemeFactory(clsm=True, **scheme_fields)
    Funding.objects.create(scheme=clsm, funder=funder, year=2016, programme="other", amount=1)
    return clsm


def sign(scheme, organisation, role):
    return SchemeSignatory.objects.create(scheme=scheme, organisation=organisation, role=role)


def test_a_clsm_funded_by_the_ars_names_every_missing_signatory():
    hospital = OrganisationFactory(hospital=True)
    clsm = clsm_funded_by(OrganisationFactory(kind="ars"), reference_hospital=hospital)

    with pytest.raises(ValidationError) as error:
        scheme_signatories_check(scheme=clsm)

    message = error.value.messages[0]
    assert "l'ARS" in message and "la collectivité" in message and hospital.name in message


def test_a_clsm_signed_by_the_ars_the_authority_and_its_hospital_meets_the_rule():
    hospital = OrganisationFactory(hospital=True)
    delegation = OrganisationFactory(kind="ars_delegation")
    clsm = clsm_funded_by(delegation, reference_hospital=hospital)
    sign(clsm, delegation, "ars")
    sign(clsm, clsm.carrier, "commune")
    assert scheme_signatories_gaps(clsm) == [f"l'établissement de santé de référence ({hospital})"]

    sign(clsm, hospital, "hospital")

    scheme_signatories_check(scheme=clsm)


def test_the_hospital_must_be_the_reference_establishment():
    clsm = clsm_funded_by(OrganisationFactory(kind="ars"))

    assert any("à renseigner" in gap for gap in scheme_signatories_gaps(clsm))


def test_fir_credits_count_as_ars_funding():
    clsm = SchemeFactory(clsm=True)
    Funding.objects.create(
        scheme=clsm, funder=OrganisationFactory(), year=2016, programme="ars_fir", amount=1
    )

    assert "l'ARS" in scheme_signatories_gaps(clsm)


def test_a_clsm_the_ars_does_not_fund_needs_no_signatory():
    clsm = clsm_funded_by(OrganisationFactory(kind="commune"))

    assert scheme_signatories_gaps(clsm) == []


def test_the_rule_concerns_only_clsm():
    asv = SchemeFactory()
    Funding.objects.create(
        scheme=asv, funder=OrganisationFactory(kind="ars"), year=2016, programme="ars_fir", amount=1
    )

    assert scheme_signatories_gaps(asv) == []


# Admin ----------------------------------------------------------------------------------------


def change_url(scheme):
    return reverse("admin:devices_scheme_change", args=[scheme.pk])


def test_the_admin_refuses_ars_funding_of_a_clsm_without_its_signatories(admin_client):
    client = admin_client
    clsm = SchemeFactory(clsm=True, reference_hospital=OrganisationFactory(hospital=True))
    ars = OrganisationFactory(kind="ars")
    data = change_form_data(client.get(change_url(clsm)))
    data.update(
        {
            "fundings-TOTAL_FORMS": "1",
            "fundings-0-funder": ars.pk,
            "fundings-0-year": "2016",
            "fundings-0-programme": "ars_fir",
            "fundings-0-purpose": "coordination",
            "fundings-0-amount": "15000",
        }
    )

    response = client.post(change_url(clsm), data)

    assert response.status_code == 200
    assert "Manque : l&#x27;ARS, la collectivité" in response.content.decode()
    assert not clsm.fundings.exists()


def test_the_admin_saves_ars_funding_with_the_three_signatories(admin_client):
    client = admin_client
    hospital = OrganisationFactory(hospital=True)
    clsm = SchemeFactory(clsm=True, reference_hospital=hospital)
    ars = OrganisationFactory(kind="ars")
    data = change_form_data(client.get(change_url(clsm)))
    data.update(
        {
            "fundings-TOTAL_FORMS": "1",
            "fundings-0-funder": ars.pk,
            "fundings-0-year": "2016",
            "fundings-0-programme": "ars_fir",
            "fundings-0-purpose": "coordination",
            "fundings-0-amount": "15000",
            "signatories-TOTAL_FORMS": "3",
        }
    )
    for i, (organisation, role) in enumerate(
        [(ars, "ars"), (clsm.carrier, "commune"), (hospital, "hospital")]
    ):
        data.update(
            {f"signatories-{i}-organisation": organisation.pk, f"signatories-{i}-role": role}
        )

    response = client.post(change_url(clsm), data)

    assert response.status_code == 302, response.context["errors"]
    assert clsm.signatories.count() == 3
    page = client.get(change_url(clsm)).content.decode()
    assert "Règle respectée" in page


def test_the_scheme_page_says_who_is_missing(admin_client):
    client = admin_client
    clsm = clsm_funded_by(OrganisationFactory(kind="ars"))

    page = client.get(change_url(clsm)).content.decode()

    assert "Règle non respectée" in page
