"""A change to the content of an approved section sends it back to draft for a new round; the
approved version stays public until the next approval."""

import pytest

from contracts.enums import ReviewStatus
from contracts.review_selectors import published_snapshot
from contracts.review_services import (
    ReviewRefused,
    health_section_content_changed,
    health_section_submit,
)
from tests.admin_forms import change_form_data, change_url
from tests.api.write_world import approve, write_world

pytestmark = pytest.mark.django_db


def test_an_approved_section_goes_back_to_draft_and_keeps_its_public_version():
    world = write_world()
    approve(world)
    published = published_snapshot(world.section)
    world.action.title = "Autre intitulé"
    world.action.save()

    health_section_content_changed(section=world.section, user=world["coordinator_a"])

    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.DRAFT
    assert world.section.is_published
    assert published_snapshot(world.section) == published
    assert health_section_submit(section=world.section, user=world["coordinator_a"]).number == 2


def test_a_section_in_review_keeps_its_state():
    world = write_world()
    health_section_submit(section=world.section, user=world["coordinator_a"])

    health_section_content_changed(section=world.section, user=world["coordinator_a"])

    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["coordinator_b", "ars", "partner"])
def test_only_the_coordination_of_the_territory_changes_it(persona):
    world = write_world()
    approve(world)

    with pytest.raises(ReviewRefused):
        health_section_content_changed(section=world.section, user=world[persona])

    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.APPROVED


# The admin follows the same rule: the same service, called by the content pages.


def test_a_change_of_an_action_in_the_admin_reopens_the_approved_section(client):
    world = write_world()
    approve(world)
    published = published_snapshot(world.section)
    client.force_login(world["coordinator_a"])
    data = change_form_data(client.get(change_url(world.action)))
    data["title"] = "Intitulé revu dans l'administration"

    response = client.post(change_url(world.action), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.DRAFT
    assert published_snapshot(world.section) == published
    assert "Intitulé revu" not in str(published_snapshot(world.section))


def test_saving_an_admin_page_without_a_change_keeps_the_section_approved(client):
    world = write_world()
    approve(world)
    client.force_login(world["coordinator_a"])

    response = client.post(
        change_url(world.action), change_form_data(client.get(change_url(world.action)))
    )

    assert response.status_code == 302
    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.APPROVED
