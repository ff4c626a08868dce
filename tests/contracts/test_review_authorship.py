"""Honest authorship: the reviewer and comment authors are whoever is signed in, dates come
from the clock, and posted comments stay as posted, whatever a crafted request says."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import HealthSection, Review, ReviewComment
from contracts.services import review_comment_post, review_create, review_update
from portal.models import User
from tests.admin_forms import change_form_data

ADD_URL = reverse("admin:contracts_review_add")


def change_url(review):
    return reverse("admin:contracts_review_change", args=[review.pk])


@pytest.fixture
def ars(demo_data, db, client):
    client.login(username="ars", password="demo")
    return client


@pytest.fixture
def someone_else(demo_data, db):
    return User.objects.get(username="admin")


def review_form(section, **extra) -> dict:
    return {
        "section": section.pk,
        "status": "pending",
        "diagnosis_shared": "unknown",
        "cls_articulated": "unknown",
        "mental_health_considered": "unknown",
        "residents_involved": "unknown",
        "prs_consistent": "unknown",
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "0",
        "comments-0-body": "Premier regard sur le volet santé.",
        **extra,
    }


def test_the_reviewer_and_author_of_a_new_review_are_the_signed_in_reviewer(ars, someone_else):
    section = HealthSection.objects.get(contract__code="CV2015-MEL")
    long_ago = "2001-01-01 00:00:00"

    response = ars.post(
        ADD_URL,
        review_form(
            section,
            reviewer=someone_else.pk,
            created_at=long_ago,
            **{"comments-0-author": someone_else.pk, "comments-0-created_at": long_ago},
        ),
    )

    assert response.status_code == 302
    review = Review.objects.get(section=section)
    comment = review.comments.get()
    assert review.reviewer.username == "ars"
    assert comment.author.username == "ars"
    assert comment.body == "Premier regard sur le volet santé."
    assert timezone.now() - comment.created_at < timedelta(minutes=1)
    assert timezone.now() - review.created_at < timedelta(minutes=1)


def test_a_crafted_change_cannot_rewrite_reviewer_authors_or_posted_comments(ars, someone_else):
    review = Review.objects.get()
    posted = list(review.comments.order_by("pk").values_list("pk", "author", "body", "created_at"))
    data = change_form_data(ars.get(change_url(review)))
    data.update(
        {
            "status": "changes_requested",
            "reviewer": someone_else.pk,
            "comments-0-author": someone_else.pk,
            "comments-0-body": "Commentaire réécrit après coup.",
            "comments-0-created_at": "2001-01-01 00:00:00",
            "comments-1-DELETE": "on",
        }
    )

    response = ars.post(change_url(review), data)

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "changes_requested"
    assert review.reviewer.username == "ars"
    now = list(review.comments.order_by("pk").values_list("pk", "author", "body", "created_at"))
    assert now == posted


def test_a_correction_is_a_new_comment_signed_by_its_author(client, demo_data, db):
    client.login(username="admin", password="demo")
    review = Review.objects.get()
    data = change_form_data(client.get(change_url(review)))
    total = int(data["comments-TOTAL_FORMS"])
    data.update(
        {
            "comments-TOTAL_FORMS": str(total + 1),
            f"comments-{total}-body": "Correction : le CLSM est bien prévu.",
            f"comments-{total}-author": review.reviewer.pk,
        }
    )

    assert client.post(change_url(review), data).status_code == 302

    correction = review.comments.latest("created_at")
    assert correction.body == "Correction : le CLSM est bien prévu."
    assert correction.author.username == "admin"
    assert review.comments.count() == total + 1


def test_the_review_page_offers_no_field_for_who_or_when(ars):
    review = Review.objects.get()

    page = ars.get(change_url(review)).content.decode()
    add_page = ars.get(ADD_URL).content.decode()

    for html in (page, add_page):
        assert 'name="reviewer"' not in html
        assert 'name="comments-__prefix__-author"' not in html
        assert 'name="comments-__prefix__-body"' in html  # posting a comment still works
    assert 'name="comments-0-body"' not in page  # posted comments are shown, not edited
    assert "Arborescence claire et cohérente avec le PRS" in page
    assert 'name="section"' not in page  # a review stays on its section


# Services ----------------------------------------------------------------------------------


def test_review_create_signs_the_review_with_the_given_reviewer(demo_data, db):
    section = HealthSection.objects.get(contract__code="CV2015-MEL")
    ars = User.objects.get(username="ars")

    review = review_create(section=section, reviewer=ars, status="in_progress")

    assert review.reviewer == ars and review.status == "in_progress"


def test_review_update_changes_the_assessment_never_the_reviewer(demo_data, db, someone_else):
    review = Review.objects.get()
    with pytest.raises(TypeError):
        review_update(review=review, reviewer=someone_else)

    review.reviewer = someone_else  # an instance tampered with before the call
    review_update(review=review, status="approved")

    stored = Review.objects.get()
    assert stored.status == "approved" and stored.reviewer.username == "ars"


def test_review_comment_post_dates_the_comment_now(demo_data, db):
    review = Review.objects.get()
    ars = User.objects.get(username="ars")

    comment = review_comment_post(review=review, author=ars, body="Un complément.")

    assert ReviewComment.objects.get(pk=comment.pk).author == ars
    assert timezone.now() - comment.created_at < timedelta(minutes=1)
