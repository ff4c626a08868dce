"""Reads of the ARS review: queues for the dashboards, rounds of a section, what the public sees."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from contracts.enums import ReviewStatus
from contracts.models import HealthSection, Review
from contracts.review_policy import reviewable
from contracts.review_snapshot import DiffLine, snapshot_diff
from neighbourhoods.territory import scope_for

S = ReviewStatus

# What the section waits for, in the words of the person who has to act.
NEXT_STEP = {
    S.DRAFT: "À soumettre à l'ARS par la coordination",
    S.SUBMITTED: "À prendre en charge par l'ARS",
    S.RESUBMITTED: "À prendre en charge par l'ARS",
    S.IN_REVIEW: "En cours d'examen par l'ARS",
    S.CHANGES_REQUESTED: "À compléter puis soumettre à nouveau par la coordination",
    S.APPROVED: "Validé et publié",
}
AWAITING_REVIEW = (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW)


def _with_round(queryset: QuerySet) -> QuerySet:
    latest = Review.objects.filter(section=OuterRef("pk")).order_by("-number")
    return queryset.select_related("contract").annotate(
        round_number=Subquery(latest.values("number")[:1]),
        round_id=Subquery(latest.values("pk")[:1]),
    )


def sections_awaiting_review(user) -> QuerySet:
    """The ARS queue: sections of the reviewer's area submitted or in review, oldest first, with
    their current round's number and id (one query)."""
    queryset = HealthSection.objects.filter(review_status__in=AWAITING_REVIEW)
    return _with_round(reviewable(user, queryset)).order_by("contract__code")


def sections_of(user) -> QuerySet:
    """The coordinator's sections with their review state, current round, and ``next_step``
    (``next_step_of(section)``), in one query."""
    if not (user.is_authenticated and user.is_active):
        return HealthSection.objects.none()
    if not (user.is_superuser or getattr(user, "is_coordinator", False)):
        return HealthSection.objects.none()
    return _with_round(scope_for(user, HealthSection.objects.all())).order_by("contract__code")


def next_step_of(section: HealthSection) -> str:
    return NEXT_STEP[section.review_status]


def review_rounds(section: HealthSection) -> QuerySet:
    return Review.objects.filter(section=section).select_related("reviewer", "submitted_by")


def approved_round(section: HealthSection) -> Review | None:
    return Review.objects.filter(section=section, status=S.APPROVED).order_by("-number").first()


def published_snapshot(section: HealthSection) -> dict | None:
    """What public pages and the API show: the last approved version, not the draft being
    edited since. None for a section never approved."""
    if not section.is_published:
        return None
    review = approved_round(section)
    return review.snapshot if review else None


def published_snapshots(queryset: QuerySet | None = None) -> dict[int, dict]:
    """Approved snapshots of published sections, by section id, in one query."""
    sections = (queryset if queryset is not None else HealthSection.objects.all()).published()
    latest_approved = Review.objects.filter(
        section=OuterRef("section"), status=S.APPROVED
    ).order_by("-number")
    rows = Review.objects.filter(
        section__in=sections, pk=Subquery(latest_approved.values("pk")[:1])
    ).values_list("section_id", "snapshot")
    return dict(rows)


@dataclass
class RoundDiff:
    review: Review
    previous: Review | None
    lines: list[DiffLine]


def round_diff(review: Review) -> RoundDiff:
    """This round's snapshot against the previous round's (two queries whatever the rounds)."""
    previous = (
        Review.objects.filter(section_id=review.section_id, number__lt=review.number)
        .order_by("-number")
        .first()
    )
    return RoundDiff(
        review, previous, snapshot_diff(previous.snapshot if previous else None, review.snapshot)
    )
