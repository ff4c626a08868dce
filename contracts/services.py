"""Writes on the ARS review. Who wrote and when come from the caller's account and the clock,
never from a form field; a posted comment is never edited (a correction is a new comment)."""

from typing import TYPE_CHECKING

from django.db import transaction

from contracts.models import HealthSection, Review, ReviewComment

if TYPE_CHECKING:  # the user model lives in the project package, above this app
    from portal.models import User

# What a reviewer assesses; the reviewer, the section and the dates are not among them.
REVIEW_ASSESSMENT_FIELDS = (
    "status",
    "diagnosis_shared",
    "cls_articulated",
    "mental_health_considered",
    "residents_involved",
    "prs_consistent",
)


@transaction.atomic
def review_create(*, section: HealthSection, reviewer: "User", **assessment: object) -> Review:
    """Opens the review of ``section`` in the name of ``reviewer``."""
    review = Review(section=section, reviewer=reviewer)
    _assess(review, assessment)
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_update(*, review: Review, **assessment: object) -> Review:
    """Changes the assessment only: the reviewer, the section and the creation date stay."""
    _assess(review, assessment)
    review.full_clean()
    review.save(update_fields=[*assessment, "updated_at"])
    return review


@transaction.atomic
def review_comment_post(*, review: Review, author: "User", body: str) -> ReviewComment:
    """Adds a comment signed by ``author`` and dated now."""
    comment = ReviewComment(review=review, author=author, body=body)
    comment.full_clean()
    comment.save()
    return comment


def _assess(review: Review, assessment: dict[str, object]) -> None:
    unknown = set(assessment) - set(REVIEW_ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not part of a review's assessment: {', '.join(sorted(unknown))}")
    for name, value in assessment.items():
        setattr(review, name, value)
