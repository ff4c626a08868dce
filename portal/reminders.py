"""Reminders (issue 8, « Rappels »): what each coordinator should look at, found once a day by
``manage.py reminders`` and stored so that the homes show them without computing anything.

Each rule is a selector returning the rows concerned with a French message and a due date; each
row's reminder goes to the coordinators whose territory holds it (``neighbourhoods.territory``).
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from portal.enums import ReminderKind, UserRole
from portal.models import Reminder, User

POST_ENDING_MONTHS = 6
STALLED_REVIEW_DAYS = 30
STALE_RECORD_MONTHS = 12


@dataclass(frozen=True)
class Found:
    """One row that deserves a reminder."""

    row: models.Model
    message: str
    due_on: datetime.date | None = None


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 August + 6 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Rules ---------------------------------------------------------------------------------------


def posts_ending(today: datetime.date) -> Iterable[Found]:
    from devices.models import MediatorPost

    horizon = months_later(today, POST_ENDING_MONTHS)
    posts = MediatorPost.objects.filter(end_date__gte=today, end_date__lte=horizon)
    for post in posts.select_related("employer", "scheme").order_by("end_date", "pk"):
        yield Found(
            post,
            f"Le poste d'adulte-relais de {post.employer} ({post.scheme.name}) se termine "
            f"le {post.end_date:%d/%m/%Y}.",
            post.end_date,
        )


def posts_renewed_once(today: datetime.date) -> Iterable[Found]:
    from devices.models import MAX_RENEWALS, MediatorPost

    posts = MediatorPost.objects.filter(renewals__gte=MAX_RENEWALS, end_date__gte=today)
    for post in posts.select_related("employer", "scheme").order_by("end_date", "pk"):
        yield Found(
            post,
            f"Le poste d'adulte-relais de {post.employer} ({post.scheme.name}) a déjà été "
            f"renouvelé une fois : aucun nouveau renouvellement n'est possible après le "
            f"{post.end_date:%d/%m/%Y}.",
            post.end_date,
        )


def cls_expired(today: datetime.date) -> Iterable[Found]:
    from devices.enums import SchemeKind, SchemeStatus
    from devices.models import Scheme

    schemes = Scheme.objects.filter(kind=SchemeKind.CLS, end_date__lt=today).exclude(
        status__in=(SchemeStatus.ENDED, SchemeStatus.STOPPED)
    )
    for scheme in schemes.order_by("end_date", "pk"):
        yield Found(
            scheme,
            f"Le {scheme.name} est arrivé à échéance le {scheme.end_date:%d/%m/%Y} : "
            "renouvelez-le ou indiquez qu'il est terminé.",
            scheme.end_date,
        )


def sections_stalled(today: datetime.date) -> Iterable[Found]:
    from contracts.selectors import sections_stalled_in_review

    since = _start_of(today - datetime.timedelta(days=STALLED_REVIEW_DAYS))
    for section in sections_stalled_in_review(untouched_since=since).order_by("pk"):
        yield Found(
            section,
            f"Le volet santé de {section.contract} attend l'avis de l'ARS depuis plus de "
            f"{STALLED_REVIEW_DAYS} jours.",
        )


def records_stale(today: datetime.date) -> Iterable[Found]:
    """Sections and schemes whose last recorded change is older than 12 months. A row with no
    history at all (created before history was kept) is left out: nobody knows its age."""
    from contracts.models import HealthSection
    from devices.models import Scheme

    cutoff = _start_of(months_later(today, -STALE_RECORD_MONTHS))
    for model in (HealthSection, Scheme):
        last_change = Subquery(
            model.history.filter(id=OuterRef("pk"))
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        rows = model._default_manager.annotate(last_change=last_change).filter(
            last_change__lt=cutoff
        )
        if model is HealthSection:
            rows = rows.select_related("contract")
        for row in rows.order_by("pk"):
            yield Found(
                row,
                f"« {row} » n'a pas été mis à jour depuis le "
                f"{timezone.localtime(row.last_change):%d/%m/%Y}.",
            )


RULES: dict[str, Callable[[datetime.date], Iterable[Found]]] = {
    ReminderKind.POST_ENDING: posts_ending,
    ReminderKind.POST_RENEWED_ONCE: posts_renewed_once,
    ReminderKind.CLS_EXPIRED: cls_expired,
    ReminderKind.SECTION_STALLED: sections_stalled,
    ReminderKind.RECORD_STALE: records_stale,
}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Who receives them ---------------------------------------------------------------------------


def coordinators() -> QuerySet[User]:
    return User.objects.filter(role=UserRole.COORDINATOR, is_active=True).order_by("pk")


def recipients_by_row(found: list[Found], users: list[User]) -> dict[tuple, list[User]]:
    """For each row, the coordinators whose territory holds it: one query per coordinator and
    model, through the territory policy (``scope_for``)."""
    from neighbourhoods.territory import scope_for

    by_model: dict[type[models.Model], set[int]] = {}
    for item in found:
        by_model.setdefault(type(item.row), set()).add(item.row.pk)
    recipients: dict[tuple, list[User]] = {}
    for model, pks in by_model.items():
        candidates = model._default_manager.filter(pk__in=pks)
        for user in users:
            for pk in scope_for(user, candidates).values_list("pk", flat=True):
                recipients.setdefault((model, pk), []).append(user)
    return recipients


# The daily run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshReport:
    found: Counter  # rows per kind
    created: int
    kept: int
    deleted: int
    recipients: int

    def summary(self) -> str:
        """The French summary the command prints."""
        lines = [
            f"- {ReminderKind(kind).label} : {self.found.get(kind, 0)}" for kind in ReminderKind
        ]
        return "\n".join(
            [
                "Rappels du jour",
                *lines,
                f"{self.created} rappel(s) ajouté(s), {self.kept} conservé(s), "
                f"{self.deleted} levé(s), pour {self.recipients} coordinateur·rice(s).",
            ]
        )


@transaction.atomic
def reminders_refresh(*, today: datetime.date) -> RefreshReport:
    """Stores the reminders true on ``today`` and deletes the others. Idempotent."""
    users = list(coordinators())
    found_by_kind = {kind: list(rule(today)) for kind, rule in RULES.items()}
    everything = [item for found in found_by_kind.values() for item in found]
    recipients = recipients_by_row(everything, users)

    wanted: dict[tuple, Reminder] = {}
    for kind, found in found_by_kind.items():
        for item in found:
            content_type = ContentType.objects.get_for_model(item.row)
            for user in recipients.get((type(item.row), item.row.pk), []):
                key = (kind, content_type.pk, item.row.pk, user.pk)
                wanted[key] = Reminder(
                    kind=kind,
                    recipient=user,
                    content_type=content_type,
                    object_id=item.row.pk,
                    message=item.message[:500],
                    due_on=item.due_on,
                    first_found_on=today,
                )

    existing = {
        (r.kind, r.content_type_id, r.object_id, r.recipient_id): r for r in Reminder.objects.all()
    }
    gone = [r.pk for key, r in existing.items() if key not in wanted]
    Reminder.objects.filter(pk__in=gone).delete()
    kept = []
    for key, reminder in wanted.items():
        if key in existing:
            current = existing[key]
            current.message, current.due_on = reminder.message, reminder.due_on
            kept.append(current)
    Reminder.objects.bulk_update(kept, ["message", "due_on"])
    new = [reminder for key, reminder in wanted.items() if key not in existing]
    Reminder.objects.bulk_create(new)
    return RefreshReport(
        found=Counter({kind: len(found) for kind, found in found_by_kind.items()}),
        created=len(new),
        kept=len(kept),
        deleted=len(gone),
        recipients=len({key[3] for key in wanted}),
    )


# What the homes show -------------------------------------------------------------------------


def reminders_for(user) -> QuerySet[Reminder]:
    """The user's reminders, by kind then due date: one query (the row's type comes along)."""
    if not getattr(user, "is_authenticated", False):
        return Reminder.objects.none()
    return (
        Reminder.objects.filter(recipient=user)
        .select_related("content_type")
        .order_by("kind", "due_on", "pk")
    )
