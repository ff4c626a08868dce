"""The review pages of the admin: honest authorship (who and when come from the account and
the clock, posted comments stay as posted), anchored threaded comments, the checklist, the
step buttons, the difference page, the inbox, and query counts whatever the number of rounds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts.enums import ReviewStatus
from contracts.models import Action, HealthSection, Review, ReviewAnswer, ReviewComment
from contracts.review_services import (
    health_section_submit,
    review_comment_post,
    review_request_changes,
    review_take,
)
from portal.models import InboxMessage
from tests.admin_forms import change_form_data
from tests.contracts.factories import ActionFactory, HealthSectionFactory, ObjectiveFactory
from tests.contracts.review_world import review_world

S = ReviewStatus


@pytest.fixture
def world(db):
    return review_world()


@pytest.fixture
def in_review(world):
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=review, user=world["ars_region"])
    review_comment_post(review=review, author=world["ars_region"], body="Premier regard.")
    return review


def change_url(review):
    return reverse("admin:contracts_review_change", args=[review.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def with_new_comment(data, **fields):
    total = int(data["comments-TOTAL_FORMS"])
    data["comments-TOTAL_FORMS"] = str(total + 1)
    for name, value in fields.items():
        data[f"comments-{total}-{name}"] = value
    return data


def test_a_new_comment_is_signed_by_the_signed_in_user_and_dated_now(world, in_review, client):
    ars = signed_in(client, world["ars_region"])
    data = change_form_data(ars.get(change_url(in_review)))
    action = Action.objects.get(title="Bus santé")
    with_new_comment(
        data,
        body="Préciser le public du bus.",
        action=action.pk,
        author=world["admin"].pk,
        created_at="2001-01-01 00:00:00",
    )

    assert ars.post(change_url(in_review), data).status_code == 302

    comment = in_review.comments.get(body="Préciser le public du bus.")
    assert comment.author == world["ars_region"] and comment.action == action
    assert timezone.now() - comment.created_at < timedelta(minutes=1)


def test_a_crafted_post_cannot_rewrite_or_delete_a_posted_comment(world, in_review, client):
    ars = signed_in(client, world["ars_region"])
    posted = list(ReviewComment.objects.values_list("pk", "author", "body", "created_at"))
    data = change_form_data(ars.get(change_url(in_review)))
    data.update(
        {
            "comments-0-id": str(posted[0][0]),
            "comments-0-body": "Réécrit après coup.",
            "comments-0-author": world["admin"].pk,
            "comments-0-DELETE": "on",
            "reviewer": world["admin"].pk,
            "status": "approved",
        }
    )

    assert ars.post(change_url(in_review), data).status_code == 302

    assert list(ReviewComment.objects.values_list("pk", "author", "body", "created_at")) == posted
    in_review.refresh_from_db()
    assert in_review.reviewer == world["ars_region"] and in_review.status == S.IN_REVIEW


def test_the_coordinator_answers_a_comment_and_the_reply_keeps_its_anchor(world, client):
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=review, user=world["ars_region"])
    action = Action.objects.get(title="Bus santé")
    question = review_comment_post(
        review=review, author=world["ars_region"], body="Quel public ?", action=action
    )
    coordinator = signed_in(client, world["coordinator_a"])
    data = with_new_comment(
        change_form_data(coordinator.get(change_url(review))),
        body="Les seniors isolés.",
        parent=question.pk,
    )

    assert coordinator.post(change_url(review), data).status_code == 302

    reply = ReviewComment.objects.get(body="Les seniors isolés.")
    assert reply.parent == question and reply.action == action
    assert reply.author == world["coordinator_a"]
    page = coordinator.get(change_url(review)).content.decode()
    assert page.index("Quel public ?") < page.index("Les seniors isolés.")


def test_another_territory_s_coordinator_cannot_comment(world, in_review, client):
    stranger = signed_in(client, world["coordinator_b"])
    page = stranger.get(change_url(in_review))
    data = with_new_comment(change_form_data(page), body="Intrusion.")

    assert stranger.post(change_url(in_review), data).status_code == 403
    assert not ReviewComment.objects.filter(body="Intrusion.").exists()


def test_a_comment_cannot_be_anchored_to_another_section_s_action(world, in_review, client):
    elsewhere = ActionFactory(
        objective=ObjectiveFactory(section=HealthSectionFactory(), number="1", level=1)
    )
    ars = signed_in(client, world["ars_region"])
    data = with_new_comment(
        change_form_data(ars.get(change_url(in_review))), body="Ailleurs.", action=elsewhere.pk
    )

    response = ars.post(change_url(in_review), data)

    assert response.status_code == 200  # the form comes back with the error
    assert not ReviewComment.objects.filter(body="Ailleurs.").exists()


def test_the_reviewer_answers_the_checklist_with_remarks(world, in_review, client):
    ars = signed_in(client, world["ars_region"])
    data = change_form_data(ars.get(change_url(in_review)))
    answers = {data[f"answers-{i}-id"]: i for i in range(5)}
    mental = ReviewAnswer.objects.get(review=in_review, criterion="mental_health")
    i = answers[str(mental.pk)]
    data.update({f"answers-{i}-answer": "false", f"answers-{i}-remark": "Pas de CLSM cité."})

    assert ars.post(change_url(in_review), data).status_code == 302

    mental.refresh_from_db()
    assert mental.answer is False and mental.remark == "Pas de CLSM cité."


def test_the_coordinator_sees_the_checklist_but_cannot_answer_it(world, in_review, client):
    coordinator = signed_in(client, world["coordinator_a"])
    page = coordinator.get(change_url(in_review)).content.decode()

    assert 'name="answers-0-answer"' not in page
    assert "Santé mentale / CLSM" in page


def test_the_review_page_offers_no_field_for_who_or_when(world, in_review, client):
    page = signed_in(client, world["ars_region"]).get(change_url(in_review)).content.decode()

    assert 'name="reviewer"' not in page and 'name="status"' not in page
    assert 'name="comments-__prefix__-author"' not in page
    assert 'name="comments-__prefix__-body"' in page  # posting still works
    assert 'name="comments-0-body"' not in page  # posted comments are shown, not edited
    assert client.get(reverse("admin:contracts_review_add")).status_code == 403


def test_the_step_buttons_are_those_of_the_signed_in_reviewer(world, in_review, client):
    ars_page = signed_in(client, world["ars_region"]).get(change_url(in_review)).content.decode()
    assert "Demander des compléments" in ars_page and "Valider et publier" in ars_page

    other = signed_in(client, world["ars_other_region"]).get(change_url(in_review))
    assert "Valider et publier" not in other.content.decode()


def test_a_step_posted_by_the_reviewer_moves_the_section(world, in_review, client):
    url = reverse("admin:review_step", args=[in_review.pk, "approve"])

    response = signed_in(client, world["ars_region"]).post(url)

    assert response.status_code == 302
    section = HealthSection.objects.get(pk=world.section.pk)
    assert section.review_status == S.APPROVED and section.is_published


def test_a_step_posted_by_someone_else_is_refused_with_a_french_message(world, in_review, client):
    url = reverse("admin:review_step", args=[in_review.pk, "approve"])

    response = signed_in(client, world["ars_other_region"]).post(url, follow=True)

    assert "relecteur·rice ARS de la région" in response.content.decode()
    assert HealthSection.objects.get(pk=world.section.pk).review_status == S.IN_REVIEW
    assert client.get(url).status_code == 405


def test_the_coordinator_submits_from_the_section_page(world, client):
    coordinator = signed_in(client, world["coordinator_a"])
    page = coordinator.get(reverse("admin:contracts_healthsection_change", args=[world.section.pk]))
    assert "Soumettre à l'ARS" in page.content.decode()

    response = coordinator.post(reverse("admin:section_submit", args=[world.section.pk]))

    assert response.status_code == 302
    assert HealthSection.objects.get(pk=world.section.pk).review_status == S.SUBMITTED


def test_another_coordinator_cannot_submit_the_section(world, client):
    stranger = signed_in(client, world["coordinator_b"])
    page = stranger.get(reverse("admin:contracts_healthsection_change", args=[world.section.pk]))
    assert "Soumettre à l'ARS" not in page.content.decode()

    stranger.post(reverse("admin:section_submit", args=[world.section.pk]))

    assert HealthSection.objects.get(pk=world.section.pk).review_status == S.DRAFT


def test_the_diff_page_shows_what_changed_since_the_previous_round(world, client):
    first = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=first, user=world["ars_region"])
    review_request_changes(review=first, user=world["ars_region"])
    Action.objects.filter(title="Bus santé").update(title="Bus santé itinérant")
    second = health_section_submit(section=world.section, user=world["coordinator_a"])

    page = signed_in(client, world["ars_region"]).get(
        reverse("admin:review_diff", args=[second.pk])
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "review-diff-changed" in html and "Bus santé itinérant" in html
    assert "<del>Bus santé</del>" in html
    assert 'style="' not in html


def rounds(world, n):
    review = None
    for _ in range(n):
        review = health_section_submit(section=world.section, user=world["coordinator_a"])
        review_take(review=review, user=world["ars_region"])
        for i in range(3):
            review_comment_post(review=review, author=world["ars_region"], body=f"Remarque {i}")
        review_request_changes(review=review, user=world["ars_region"])
    return review


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_review_pages_cost_the_same_whatever_the_number_of_rounds(world, client):
    ars = signed_in(client, world["ars_region"])
    first = rounds(world, 1)
    one = (count(ars, change_url(first)), count(ars, reverse("admin:review_diff", args=[first.pk])))

    last = rounds(world, 4)
    many = (count(ars, change_url(last)), count(ars, reverse("admin:review_diff", args=[last.pk])))

    assert one == many
    assert max(many) <= 25


def test_the_inbox_lists_only_one_s_own_messages_and_marks_them_read_when_opened(world, client):
    mine = InboxMessage.objects.create(
        recipient=world["coordinator_a"], subject="Pour moi", body=".", link="/admin/"
    )
    theirs = InboxMessage.objects.create(
        recipient=world["coordinator_b"], subject="Pour l'autre", body="."
    )
    coordinator = signed_in(client, world["coordinator_a"])

    listing = coordinator.get(reverse("admin:portal_inboxmessage_changelist")).content.decode()
    assert "Pour moi" in listing and "Pour l'autre" not in listing

    opened = coordinator.get(reverse("admin:portal_inboxmessage_change", args=[mine.pk]))
    assert opened.status_code == 200 and '<a href="/admin/">Ouvrir</a>' in opened.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None

    other = coordinator.get(reverse("admin:portal_inboxmessage_change", args=[theirs.pk]))
    assert other.status_code == 302  # the admin's « does not exist » redirect
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_rounds_are_listed_for_reviewers_and_coordinators(world, in_review, client):
    for persona in ("ars_region", "coordinator_a"):
        page = signed_in(client, world[persona]).get(reverse("admin:contracts_review_changelist"))
        assert (
            page.status_code == 200
            and str(Review.objects.get().section.contract) in page.content.decode()
        )


def test_the_reviewer_reopens_an_approved_section_with_a_reason(world, in_review, client):
    ars = signed_in(client, world["ars_region"])
    ars.post(reverse("admin:review_step", args=[in_review.pk, "approve"]))
    page = ars.get(change_url(in_review)).content.decode()
    assert 'name="reason"' in page
    url = reverse("admin:review_step", args=[in_review.pk, "reopen"])

    refused = ars.post(url, {"reason": ""}, follow=True)
    assert "Indiquez le motif" in refused.content.decode()
    assert HealthSection.objects.get(pk=world.section.pk).review_status == S.APPROVED

    ars.post(url, {"reason": "Le financement FIR 2025 est erroné."})
    section = HealthSection.objects.get(pk=world.section.pk)
    assert section.review_status == S.CHANGES_REQUESTED and section.is_published
    in_review.refresh_from_db()
    assert in_review.reopen_reason == "Le financement FIR 2025 est erroné."


def test_a_reply_is_chosen_among_the_round_s_comments_by_author_and_text(world, in_review, client):
    page = signed_in(client, world["coordinator_a"]).get(change_url(in_review)).content.decode()

    assert "ars-hdf : Premier regard." in page
