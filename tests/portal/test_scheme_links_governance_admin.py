"""Scheme links and CLS governance in the admin: shown on both sides, and bound to the
coordinator's territory (crafted POSTs from the Valenciennes coordinator)."""

import pytest
from django.urls import reverse

from devices.models import GovernanceBody, GovernanceMember, Role, Scheme, SchemeLink
from tests.admin_forms import change_form_data, change_url
from tests.devices.factories import OrganisationFactory, RoleFactory, SchemeFactory
from tests.portal.test_territory_attacks import OUTSIDE, outside_a


@pytest.fixture
def coordinator(client, persona):
    client.force_login(persona("coordinator_a"))
    return client


def own_scheme(world, **fields):
    scheme = SchemeFactory(**fields)
    scheme.communes.set([world.valenciennes.communes.order_by("pk").first()])
    return scheme


def add_link(client, source, target, kind="component_of"):
    data = change_form_data(client.get(change_url(source)))
    total = int(data["outgoing_links-TOTAL_FORMS"])
    data.update(
        {
            "outgoing_links-TOTAL_FORMS": str(total + 1),
            f"outgoing_links-{total}-kind": kind,
            f"outgoing_links-{total}-target": target.pk,
        }
    )
    return client.post(change_url(source), data)


def test_a_coordinator_links_their_asv_to_their_cls(coordinator, world):
    asv, cls = own_scheme(world), own_scheme(world, cls_contract=True)

    response = add_link(coordinator, asv, cls)

    assert response.status_code == 302
    assert SchemeLink.objects.filter(source=asv, target=cls, kind="component_of").exists()


def test_a_link_shows_on_both_schemes(admin_client, world):
    asv, cls = own_scheme(world), own_scheme(world, cls_contract=True)
    SchemeLink.objects.create(source=asv, target=cls, kind="component_of")

    source_page = admin_client.get(change_url(asv))
    target_page = admin_client.get(change_url(cls)).content.decode()

    links = next(
        inline.formset
        for inline in source_page.context["inline_admin_formsets"]
        if inline.formset.model is SchemeLink
    )
    assert [form.instance.target for form in links.forms] == [cls]
    assert f'href="{change_url(asv)}"' in target_page
    assert "volet territorial de ce dispositif" in target_page


def test_a_coordinator_cannot_link_to_another_territorys_scheme(coordinator, world, persona):
    asv = own_scheme(world)
    foreign_cls = outside_a(Scheme, persona, kind="CLS")

    response = add_link(coordinator, asv, foreign_cls)

    assert response.status_code == 200 and OUTSIDE in response.content.decode()
    assert not SchemeLink.objects.filter(source=asv).exists()


def test_the_admin_refuses_a_component_link_between_the_wrong_kinds(coordinator, world):
    cls, asv = own_scheme(world, cls_contract=True), own_scheme(world)

    response = add_link(coordinator, cls, asv)

    assert "volet territorial d&#x27;un CLS" in response.content.decode()
    assert not SchemeLink.objects.filter(source=cls).exists()


# Governance ---------------------------------------------------------------------------------


def add_body_url():
    return reverse("admin:devices_governancebody_add")


def test_a_coordinator_creates_the_copil_of_their_cls(coordinator, world):
    cls = own_scheme(world, cls_contract=True)
    ars = OrganisationFactory(kind="ars_delegation")
    data = change_form_data(coordinator.get(add_body_url()))
    data.update({"scheme": cls.pk, "kind": "steering"})
    created = coordinator.post(add_body_url(), data)
    body = GovernanceBody.objects.get(scheme=cls)
    # Inline rows are added once the body exists: on an add page the territory policy cannot
    # place rows whose parent is not saved yet.
    data = change_form_data(coordinator.get(change_url(body)))
    data.update(
        {
            "members-TOTAL_FORMS": "1",
            "members-0-organisation": ars.pk,
            "members-0-chairs": "on",
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-held_on": "2016-03-01",
        }
    )

    changed = coordinator.post(change_url(body), data)

    assert (created.status_code, changed.status_code) == (302, 302)
    assert body.members.get().organisation == ars and body.meetings.count() == 1


def test_a_coordinator_cannot_create_a_body_for_another_territorys_cls(coordinator, world, persona):
    foreign_cls = outside_a(Scheme, persona, kind="CLS")
    data = change_form_data(coordinator.get(add_body_url()))
    data.update({"scheme": foreign_cls.pk, "kind": "technical"})

    response = coordinator.post(add_body_url(), data)

    assert response.status_code == 200 and OUTSIDE in response.content.decode()
    assert not GovernanceBody.objects.filter(scheme=foreign_cls, kind="technical").exists()


def test_a_coordinator_cannot_seat_a_person_of_another_territory(coordinator, world, persona):
    body = GovernanceBody.objects.create(
        scheme=own_scheme(world, cls_contract=True), kind="technical"
    )
    foreign_role = RoleFactory(scheme=outside_a(Scheme, persona))
    assert outside_a(Role, persona, pk=foreign_role.pk) == foreign_role
    data = change_form_data(coordinator.get(change_url(body)))
    data.update({"members-TOTAL_FORMS": "1", "members-0-role": foreign_role.pk})

    response = coordinator.post(change_url(body), data)

    assert response.status_code == 200 and OUTSIDE in response.content.decode()
    assert not GovernanceMember.objects.filter(body=body).exists()


def test_the_scheme_page_lists_its_governance_bodies(admin_client, world):
    cls = own_scheme(world, cls_contract=True)
    body = GovernanceBody.objects.create(scheme=cls, kind="steering")

    page = admin_client.get(change_url(cls)).content.decode()

    assert f'href="{change_url(body)}"' in page


def test_a_coordinator_is_told_who_must_sign_the_clsm_the_ars_funds(coordinator, world):
    # Coordinators do not write signatories: the message tells them whom to ask for.
    clsm = own_scheme(world, clsm=True, reference_hospital=OrganisationFactory(hospital=True))
    data = change_form_data(coordinator.get(change_url(clsm)))
    data.update(
        {
            "fundings-TOTAL_FORMS": "1",
            "fundings-0-funder": OrganisationFactory(kind="ars_delegation").pk,
            "fundings-0-year": "2016",
            "fundings-0-programme": "ars_fir",
            "fundings-0-purpose": "coordination",
            "fundings-0-amount": "15000",
        }
    )

    response = coordinator.post(change_url(clsm), data)

    assert "obligatoirement pour signataires" in response.content.decode()
    assert not clsm.fundings.exists()
