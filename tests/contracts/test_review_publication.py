"""Publication follows approval; the public sees the approved snapshot; the dashboards' queues;
each step's emails, each also in the recipients' inbox."""

import pytest
from django.core import mail

from contracts.enums import ReviewStatus
from contracts.models import Action, HealthSection
from contracts.review_selectors import (
    next_step_of,
    published_snapshot,
    published_snapshots,
    sections_awaiting_review,
    sections_of,
)
from contracts.review_services import (
    ReviewRefused,
    health_section_submit,
    review_approve,
    review_reopen,
    review_request_changes,
    review_take,
)
from portal.models import InboxMessage
from tests.contracts.review_world import review_world

S = ReviewStatus


@pytest.fixture
def world(db):
    return review_world()


def approve_once(world):
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=review, user=world["ars_region"])
    review_approve(review=review, user=world["ars_region"])
    return review


def test_a_section_is_public_only_once_approved(world):
    section = world.section
    review = health_section_submit(section=section, user=world["coordinator_a"])
    review_take(review=review, user=world["ars_region"])
    assert not HealthSection.objects.published().filter(pk=section.pk).exists()

    review_approve(review=review, user=world["ars_region"])

    assert HealthSection.objects.published().filter(pk=section.pk).exists()


def test_the_public_sees_the_approved_snapshot_not_the_draft_edited_since(world):
    approve_once(world)
    Action.objects.filter(title="Bus santé").update(title="Brouillon en cours")
    section = HealthSection.objects.get(pk=world.section.pk)

    snapshot = published_snapshot(section)

    assert [n["label"] for n in snapshot["nodes"]] == ["1 Accès aux soins", "Bus santé"]
    assert published_snapshots()[section.pk] == snapshot


def test_a_reopened_section_stays_public_with_its_approved_version_until_approved_again(world):
    review = approve_once(world)
    review_reopen(review=review, user=world["ars_region"], reason="Erreur de financement.")
    Action.objects.filter(title="Bus santé").update(title="Bus corrigé")
    second = health_section_submit(section=world.section, user=world["coordinator_a"])
    section = HealthSection.objects.get(pk=world.section.pk)

    assert section.is_published
    assert published_snapshot(section)["nodes"][1]["label"] == "Bus santé"

    review_take(review=second, user=world["ars_region"])
    review_approve(review=second, user=world["ars_region"])
    assert published_snapshot(section)["nodes"][1]["label"] == "Bus corrigé"


def test_a_section_never_approved_has_no_public_snapshot(world):
    health_section_submit(section=world.section, user=world["coordinator_a"])

    assert published_snapshot(HealthSection.objects.get(pk=world.section.pk)) is None
    assert published_snapshots() == {}


def test_the_admin_form_offers_no_publication_checkbox(world, client):
    client.force_login(world["coordinator_a"])

    page = client.get(f"/admin/contracts/healthsection/{world.section.pk}/change/")

    assert page.status_code == 200
    assert 'name="is_published"' not in page.content.decode()
    assert 'name="review_status"' not in page.content.decode()


def test_the_ars_queue_holds_its_area_s_submitted_sections_in_one_query(
    world, django_assert_num_queries
):
    health_section_submit(section=world.section, user=world["coordinator_a"])

    with django_assert_num_queries(2):  # the reviewer's departments, then the queue
        queue = list(sections_awaiting_review(world["ars_region"]))
    assert [(s.pk, s.round_number) for s in queue] == [(world.section.pk, 1)]
    assert list(sections_awaiting_review(world["ars_other_region"])) == []
    assert list(sections_awaiting_review(world["coordinator_a"])) == []


def test_the_coordinator_s_sections_come_with_their_state_and_next_step(
    world, django_assert_num_queries
):
    coordinator = world["coordinator_a"]
    with django_assert_num_queries(2):  # the territory (EPCI and communes), then the sections
        sections = list(sections_of(coordinator))
    assert [(s.pk, s.review_status, s.round_number) for s in sections] == [
        (world.section.pk, S.DRAFT, None)
    ]
    assert next_step_of(sections[0]) == "À soumettre à l'ARS par la coordination"
    assert list(sections_of(world["coordinator_b"])) == []


def test_a_submission_writes_to_the_reviewers_of_the_area_and_their_inbox(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        health_section_submit(section=world.section, user=world["coordinator_a"])

    assert [message.to for message in mail.outbox] == [["ars-hdf@example.org"]]
    assert "soumis" in mail.outbox[0].subject
    inbox = InboxMessage.objects.get()
    assert inbox.recipient == world["ars_region"] and inbox.subject == mail.outbox[0].subject


def test_each_decision_of_the_ars_writes_to_the_coordination(
    world, django_capture_on_commit_callbacks
):
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    with django_capture_on_commit_callbacks(execute=True):
        review_take(review=review, user=world["ars_region"])
        review_request_changes(review=review, user=world["ars_region"])

    assert [m.to for m in mail.outbox] == [["coord-a@example.org"]] * 2
    assert InboxMessage.objects.filter(recipient=world["coordinator_a"]).count() == 2
    assert not InboxMessage.objects.filter(recipient=world["coordinator_b"]).exists()


def test_no_email_leaves_when_the_step_is_refused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReviewRefused):
        health_section_submit(section=world.section, user=world["coordinator_b"])

    assert mail.outbox == [] and not InboxMessage.objects.exists()
