"""The homes of the admin site (issue 8, « Tableaux de bord »): what a coordinator and an ARS
reviewer see first when they sign in. Selectors only; ``portal.admin_site`` renders them.

Each home costs a constant number of queries whatever the number of sections, rounds, schemes or
comments: lists are single queries (annotated or joined), and every list is capped.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from contracts.models import (
    Action,
    ActionFunding,
    HealthSection,
    Objective,
    Review,
    ReviewComment,
)
from contracts.review_policy import review_area
from contracts.review_selectors import AWAITING_REVIEW, next_step_of, sections_of
from neighbourhoods.models import Commune, Department, Epci
from portal.history import JournalEntry, journal
from portal.models import User
from portal.reminders import reminders_for

LIST_LIMIT = 50
COMMENT_LIMIT = 10
CHANGES_LIMIT = 20
# A first visit (no earlier look at the home) shows the changes of the last 30 days.
FIRST_VISIT_DAYS = 30
SINCE_SESSION_KEY = "dashboard_since"


def admin_change_url(app_label: str, model_name: str, pk) -> str:
    try:
        return reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


# Since my last visit ------------------------------------------------------------------------


def last_visit(request) -> datetime.datetime | None:
    """When the user last looked at their home before this session.

    ``User.last_login`` is already overwritten when the home is shown, so the home keeps its own
    timestamp: each visit stores « now » on the account, and the value found at the session's
    first visit is kept in the session. Reloading the home or coming back to it from a section
    during the same session therefore shows the same changes; the next session starts from the
    last look of this one. None on the very first visit.
    """
    user = request.user
    stored = request.session.get(SINCE_SESSION_KEY)
    if stored is None:
        since = user.dashboard_seen_at
        request.session[SINCE_SESSION_KEY] = since.isoformat() if since else ""
    else:
        since = parse_datetime(stored) if stored else None
    User.objects.filter(pk=user.pk).update(dashboard_seen_at=timezone.now())
    return since


# Coordinator ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionRow:
    section: HealthSection
    state: str
    round_number: int | None
    next_step: str
    url: str


def coordinator_sections(user) -> list[SectionRow]:
    """The coordinator's sections with their review state, current round and next step."""
    return [
        SectionRow(
            section,
            section.get_review_status_display(),
            section.round_number,
            next_step_of(section),
            admin_change_url("contracts", "healthsection", section.pk),
        )
        for section in sections_of(user)[:LIST_LIMIT]
    ]


def territory_names(user) -> list[str]:
    """The EPCI and communes the coordinator answers for, by name (one query)."""
    epcis = Epci.objects.filter(accounts=user).order_by().values_list("name", flat=True)
    communes = Commune.objects.filter(accounts=user).order_by().values_list("name", flat=True)
    return sorted(epcis.union(communes, all=True))


def coordinator_schemes(user) -> QuerySet:
    from devices.models import Scheme
    from neighbourhoods.territory import scope_for

    return scope_for(user, Scheme.objects.all()).order_by("name", "pk")[:LIST_LIMIT]


def coordinator_posts(user) -> QuerySet:
    from devices.models import MediatorPost
    from neighbourhoods.territory import scope_for

    posts = MediatorPost.objects.select_related("scheme", "employer", "mediator")
    return scope_for(user, posts).order_by("end_date", "pk")[:LIST_LIMIT]


def comments_to(user) -> QuerySet:
    """The latest comments of the reviews of the user's sections written by someone else:
    the ARS reviewer's remarks and the other coordinators' answers (one query)."""
    sections = sections_of(user).values("pk")
    return (
        ReviewComment.objects.filter(review__section__in=sections)
        .exclude(author=user)
        .select_related("author", "review__section__contract", "objective", "action")
        .order_by("-created_at", "-pk")[:COMMENT_LIMIT]
    )


def coordinator_home(request) -> dict:
    user = request.user
    return {
        "dashboard": "coordinator",
        "territory_names": territory_names(user),
        "sections": coordinator_sections(user),
        "schemes": coordinator_schemes(user),
        "posts": coordinator_posts(user),
        "reminders": reminders(user),
        "comments": comments_to(user),
    }


@dataclass(frozen=True)
class ReminderRow:
    kind: str
    message: str
    due_on: datetime.date | None
    url: str


def reminders(user) -> list[ReminderRow]:
    return [
        ReminderRow(
            r.get_kind_display(),
            r.message,
            r.due_on,
            admin_change_url(r.content_type.app_label, r.content_type.model, r.object_id),
        )
        for r in reminders_for(user)[:LIST_LIMIT]
    ]


# ARS reviewer --------------------------------------------------------------------------------


def area_sections(user) -> QuerySet:
    """Every section of the reviewer's region or departments (whatever its state)."""
    return HealthSection.objects.filter(review_area(user))


class QueueFilterForm(forms.Form):
    """The queue's filters; the choices are those of the reviewer's area only."""

    department = forms.ModelChoiceField(
        Department.objects.none(), required=False, label="Département", empty_label="Tous"
    )
    epci = forms.ModelChoiceField(
        Epci.objects.none(), required=False, label="EPCI", empty_label="Tous"
    )
    state = forms.ChoiceField(required=False, label="État")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        area = area_sections(user)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=area.values("contract__department")
        ).order_by("code")
        self.fields["epci"].queryset = Epci.objects.filter(
            Q(pk__in=area.values("contract__carrier_epci"))
            | Q(pk__in=area.values("contract__carrier_commune__epci"))
        ).order_by("name")
        self.fields["state"].choices = [("", "Tous")] + [
            (status.value, status.label) for status in AWAITING_REVIEW
        ]


@dataclass(frozen=True)
class QueueRow:
    section: HealthSection
    state: str
    round_number: int | None
    submitted_at: datetime.datetime | None
    days_waiting: int | None
    is_new: bool
    url: str


def review_queue(user, *, department=None, epci=None, state="") -> QuerySet:
    """The sections waiting for the reviewer, with the current round's number, id and
    submission date, oldest submission first (one query)."""
    latest = Review.objects.filter(section=OuterRef("pk")).order_by("-number")
    sections = (
        area_sections(user)
        .filter(review_status__in=AWAITING_REVIEW)
        .select_related("contract__department", "contract__carrier_epci")
        .annotate(
            round_number=Subquery(latest.values("number")[:1]),
            round_id=Subquery(latest.values("pk")[:1]),
            round_submitted_at=Subquery(latest.values("submitted_at")[:1]),
        )
    )
    if department is not None:
        sections = sections.filter(contract__department=department)
    if epci is not None:
        sections = sections.filter(
            Q(contract__carrier_epci=epci) | Q(contract__carrier_commune__epci=epci)
        )
    if state:
        sections = sections.filter(review_status=state)
    return sections.order_by("round_submitted_at", "contract__code")


def queue_rows(sections, *, since, now) -> list[QueueRow]:
    rows = []
    for section in sections[:LIST_LIMIT]:
        submitted = section.round_submitted_at
        rows.append(
            QueueRow(
                section,
                section.get_review_status_display(),
                section.round_number,
                submitted,
                (now - submitted).days if submitted else None,
                bool(submitted and since and submitted >= since),
                admin_change_url("contracts", "review", section.round_id)
                if section.round_id
                else "",
            )
        )
    return rows


def area_changes(user, since: datetime.datetime) -> list[JournalEntry]:
    """The latest changes since ``since`` to the sections of the reviewer's area, their
    objectives, actions and fundings (two queries per model whatever the rows)."""
    section_ids = area_sections(user).values("pk")
    objective_ids = Objective.history.filter(section_id__in=section_ids).values("id")
    action_ids = Action.history.filter(objective_id__in=objective_ids).values("id")
    sources = [
        HealthSection.history.filter(id__in=section_ids),
        Objective.history.filter(section_id__in=section_ids),
        Action.history.filter(objective_id__in=objective_ids),
        ActionFunding.history.filter(action_id__in=action_ids),
    ]
    return journal(
        [source.filter(history_date__gte=since) for source in sources],
        user=user,
        limit=CHANGES_LIMIT,
    )


def reviewer_home(request) -> dict:
    user = request.user
    form = QueueFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    previous = last_visit(request)
    since = previous or now - datetime.timedelta(days=FIRST_VISIT_DAYS)
    queue = review_queue(
        user,
        department=filters.get("department"),
        epci=filters.get("epci"),
        state=filters.get("state", ""),
    )
    return {
        "dashboard": "reviewer",
        "filter_form": form,
        "is_filtered": any(filters.values()),
        "queue": queue_rows(queue, since=previous, now=now),
        "since": since,
        "first_visit": previous is None,
        "changes": area_changes(user, since),
        "reminders": reminders(user),
    }


def dashboard_context(request) -> dict:
    """The home of the signed-in user's role; administrators keep Django's index."""
    user = request.user
    if user.is_superuser:
        return {"dashboard": "admin"}
    if getattr(user, "is_coordinator", False):
        return coordinator_home(request)
    if getattr(user, "is_ars_reviewer", False):
        return reviewer_home(request)
    return {}
