"""The ARS review of a health section: the only place that changes its state.

    draft ──submit──▶ submitted ──take──▶ in review ──approve──▶ approved
                                           │   ▲                   │
                             request changes   take                reopen (with a reason)
                                           ▼   │                   │
                              changes requested ──resubmit──▶ resubmitted
                                           ▲                       │
                                           └───────────────────────┘ (reopen)

Each submission opens a new round (``Review``) holding a frozen snapshot of the section and an
empty checklist. Who may do what is ``contracts.review_policy``. Who wrote and when come from
the caller's account and the clock, never from a form; a posted comment is never edited.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.enums import ReviewCriterion, ReviewStatus
from contracts.models import Action, HealthSection, Objective, Review, ReviewAnswer, ReviewComment
from contracts.review_notifications import (
    coordinators_of,
    notify,
    review_link,
    reviewers_of,
)
from contracts.review_policy import may_comment, may_review, may_submit
from contracts.review_snapshot import section_snapshot

if TYPE_CHECKING:  # the user model lives in the project package, above this app
    from portal.models import User

S = ReviewStatus


class ReviewRefused(PermissionDenied):
    """The user may not take this step of the review (French message for the interface)."""


def _illegal(section: HealthSection, what: str) -> ValidationError:
    return ValidationError(
        f"Impossible de {what} : le volet santé est à l'état « {section.get_review_status_display()} ».",
        code="illegal_transition",
    )


def _locked(section: HealthSection) -> HealthSection:
    """The section read again under a row lock: two clicks at once make one transition."""
    return HealthSection.objects.select_for_update().select_related("contract").get(pk=section.pk)


def _current_round(section: HealthSection) -> Review | None:
    return section.reviews.order_by("-number").first()


def _set_state(section: HealthSection, review: Review, status: str, **review_fields) -> None:
    section.review_status = status
    section.full_clean()
    section.save(update_fields=["review_status", "is_published"])
    review.status = status
    for name, value in review_fields.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()


@transaction.atomic
def health_section_submit(*, section: HealthSection, user: "User") -> Review:
    """The coordinator submits the section (first round) or resubmits it (later rounds)."""
    section = _locked(section)
    if not may_submit(user, section):
        raise ReviewRefused("Seul·e la coordination du territoire de ce volet santé le soumet.")
    if section.review_status not in (S.DRAFT, S.CHANGES_REQUESTED):
        raise _illegal(section, "soumettre ce volet santé")
    previous = _current_round(section)
    status = S.SUBMITTED if previous is None else S.RESUBMITTED
    review = Review(
        section=section,
        number=(previous.number + 1) if previous else 1,
        status=status,
        submitted_by=user,
        submitted_at=timezone.now(),
        snapshot=section_snapshot(section),
    )
    review.full_clean()
    review.save()
    ReviewAnswer.objects.bulk_create(
        ReviewAnswer(review=review, criterion=criterion) for criterion in ReviewCriterion.values
    )
    section.review_status = status
    section.save(update_fields=["review_status"])
    verb = "soumis" if status == S.SUBMITTED else "soumis à nouveau"
    notify(
        recipients=reviewers_of(section),
        subject=f"Volet santé {verb} : {section.contract}",
        body=f"{user} a {verb} le volet santé « {section.contract} » (tour {review.number}) "
        "à la relecture de l'ARS.",
        link=review_link(review),
    )
    return review


@transaction.atomic
def health_section_content_changed(*, section: HealthSection, user: "User") -> HealthSection:
    """The coordinator changed the content (objectives, actions, their funding) of a section.

    An approved section goes back to draft: the change starts a new round, submitted like any
    other; the approved round's snapshot stays what the public sees until the ARS approves a
    later one. Other states keep their state (a draft is a draft; a section under review was
    frozen at its submission). Called by every writer of a section's content, after the write,
    in the same transaction.
    """
    section = _locked(section)
    if not may_submit(user, section):
        raise ReviewRefused("Seul·e la coordination du territoire de ce volet santé le modifie.")
    if section.review_status == S.APPROVED:
        section.review_status = S.DRAFT
        section.full_clean()
        section.save(update_fields=["review_status", "updated_at"])
    return section


def _review_step(review: Review, user: "User", allowed: tuple[str, ...], what: str):
    section = _locked(review.section)
    if not may_review(user, section):
        raise ReviewRefused(
            "Seul·e un·e relecteur·rice ARS de la région de ce volet santé le relit."
        )
    current = _current_round(section)
    if current is None or current.pk != review.pk:
        raise ValidationError(
            f"Impossible de {what} : ce tour de relecture n'est plus le dernier.",
            code="stale_round",
        )
    if section.review_status not in allowed:
        raise _illegal(section, what)
    return section, current


def _tell_coordinators(section: HealthSection, review: Review, subject: str, body: str) -> None:
    people = coordinators_of(section)
    if review.submitted_by_id:
        people.append(review.submitted_by)
    notify(recipients=people, subject=subject, body=body, link=review_link(review))


@transaction.atomic
def review_take(*, review: Review, user: "User") -> Review:
    """An ARS reviewer takes the submitted section and becomes the round's reviewer."""
    section, review = _review_step(
        review, user, (S.SUBMITTED, S.RESUBMITTED), "prendre en charge ce volet santé"
    )
    _set_state(section, review, S.IN_REVIEW, reviewer=user)
    _tell_coordinators(
        section,
        review,
        f"Volet santé en cours d'examen : {section.contract}",
        f"{user} examine le volet santé « {section.contract} » (tour {review.number}).",
    )
    return review


@transaction.atomic
def review_request_changes(*, review: Review, user: "User") -> Review:
    section, review = _review_step(review, user, (S.IN_REVIEW,), "demander des compléments")
    _set_state(section, review, S.CHANGES_REQUESTED, decided_at=timezone.now())
    _tell_coordinators(
        section,
        review,
        f"Compléments demandés : {section.contract}",
        f"{user} demande des compléments sur le volet santé « {section.contract} » "
        f"(tour {review.number}). Répondez aux commentaires puis soumettez-le à nouveau.",
    )
    return review


@transaction.atomic
def review_approve(*, review: Review, user: "User") -> Review:
    """Approval publishes the section: the public sees this round's snapshot."""
    section, review = _review_step(review, user, (S.IN_REVIEW,), "valider ce volet santé")
    section.is_published = True
    _set_state(section, review, S.APPROVED, decided_at=timezone.now())
    _tell_coordinators(
        section,
        review,
        f"Volet santé validé : {section.contract}",
        f"{user} a validé le volet santé « {section.contract} » (tour {review.number}) : "
        "il est publié.",
    )
    return review


@transaction.atomic
def review_reopen(*, review: Review, user: "User", reason: str) -> Review:
    """The ARS reopens an approved section for changes. The approved version stays public
    until a later round is approved."""
    if not reason or not reason.strip():
        raise ValidationError("Indiquez le motif de la réouverture.", code="reason_required")
    section, review = _review_step(review, user, (S.APPROVED,), "rouvrir ce volet santé")
    section.review_status = S.CHANGES_REQUESTED
    section.save(update_fields=["review_status"])
    # The round keeps its outcome (approved): it is the version the public still sees.
    review.reopen_reason = reason.strip()
    review.save(update_fields=["reopen_reason", "updated_at"])
    _tell_coordinators(
        section,
        review,
        f"Volet santé rouvert : {section.contract}",
        f"{user} a rouvert le volet santé « {section.contract} » : {review.reopen_reason}",
    )
    return review


@transaction.atomic
def review_answer_set(
    *, review: Review, user: "User", criterion: str, answer: bool | None, remark: str = ""
) -> ReviewAnswer:
    """The reviewer answers one checklist question of the round being examined."""
    section = review.section
    if not may_review(user, section):
        raise ReviewRefused(
            "Seul·e un·e relecteur·rice ARS de la région de ce volet santé le relit."
        )
    if review.status != S.IN_REVIEW:
        raise ValidationError(
            "La grille se remplit pendant l'examen du tour.", code="illegal_transition"
        )
    row, _ = ReviewAnswer.objects.get_or_create(review=review, criterion=criterion)
    row.answer = answer
    row.remark = remark
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def review_comment_post(
    *,
    review: Review,
    author: "User",
    body: str,
    objective: Objective | None = None,
    action: Action | None = None,
    parent: ReviewComment | None = None,
) -> ReviewComment:
    """Adds a comment signed by ``author`` and dated now, on the section, one objective or one
    action; a reply takes the anchor of the comment it answers."""
    section = review.section
    if not may_comment(author, section):
        raise ReviewRefused("Seules les personnes de cette relecture la commentent.")
    if parent is not None:
        if parent.review_id != review.pk:
            raise ValidationError({"parent": "Ce commentaire appartient à un autre tour."})
        objective, action = parent.objective, parent.action
    if objective is not None and objective.section_id != section.pk:
        raise ValidationError({"objective": "Cet objectif appartient à un autre volet santé."})
    if action is not None and action.objective.section_id != section.pk:
        raise ValidationError({"action": "Cette action appartient à un autre volet santé."})
    comment = ReviewComment(
        review=review, author=author, body=body, objective=objective, action=action, parent=parent
    )
    comment.full_clean()
    comment.save()
    return comment
