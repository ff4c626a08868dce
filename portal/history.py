"""History of changes (issue 8, « Historique »): selectors reading django-simple-history's
tables and the one service that restores an earlier version.

Every change to contracts, sections, objectives, actions, their fundings, schemes, roles, mediator
posts and people leaves a historical row (who, when, the whole row as it was then). A journal
lists the latest rows of several models with what changed against each row's predecessor, in two
queries per model whatever the number of rows (no ``prev_record`` per row).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from heapq import merge

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery

from neighbourhoods.models import format_number

# Fields nobody but an administrator reads in a history (a person's contact details).
PRIVATE_FIELDS = frozenset({"email", "phone"})

ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class JournalEntry:
    when: datetime
    who: str
    what: str  # « objectif »
    subject: str  # the row's text as it was then
    action: str  # « modification »
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)
    history_id: int = 0
    model_label: str = ""  # « contracts.objective », to restore this version


def can_read_private(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def can_restore(user) -> bool:
    """Only administrators put an earlier version back: coordinators and ARS reviewers
    correct a row by editing it, which leaves its own trace."""
    return bool(user and user.is_active and user.is_superuser)


def _display(model_field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if model_field.is_relation:
        return f"n° {value}"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _tracked_fields(record) -> list[models.Field]:
    return [f for f in type(record).tracked_fields if f.editable or f.name == "id"]


def record_changes(record, previous, *, private: bool = False) -> tuple[FieldChange, ...]:
    """The fields that differ between a historical row and its predecessor (all of them, shown
    from « — », for a creation). Private fields are left out unless ``private``."""
    changes = []
    for model_field in _tracked_fields(record):
        if model_field.name == "id" or (model_field.name in PRIVATE_FIELDS and not private):
            continue
        new = model_field.value_from_object(record)
        old = model_field.value_from_object(previous) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, ""):
            continue
        changes.append(
            FieldChange(
                str(model_field.verbose_name),
                _display(model_field, old),
                _display(model_field, new),
            )
        )
    return tuple(changes)


def _latest_with_predecessors(records: QuerySet, limit: int) -> list[tuple]:
    """The ``limit`` latest historical rows and each one's predecessor: two queries."""
    model = records.model
    previous_id = Subquery(
        model._default_manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    # Each row's text names its related rows (« Centre social – 2016 »): joined here, once.
    # (a one-to-one, like a section's contract, is a foreign key in the historical table).
    related = [f.name for f in model.tracked_fields if f.many_to_one or f.one_to_one]
    latest = list(
        records.select_related("history_user", *related)
        .annotate(previous_history_id=previous_id)
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = [r.previous_history_id for r in latest if r.previous_history_id]
    previous = model._default_manager.in_bulk(wanted) if wanted else {}
    return [(r, previous.get(r.previous_history_id)) for r in latest]


def _subject(record) -> str:
    instance = record.instance
    # The joined related rows, so that the row's text costs no query.
    instance._state.fields_cache.update(record._state.fields_cache)
    return str(instance)


def _entry(record, previous, *, private: bool) -> JournalEntry:
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else "import ou script"
    return JournalEntry(
        when=record.history_date,
        who=who,
        what=str(record.instance_type._meta.verbose_name),
        subject=_subject(record),
        action=ACTIONS.get(record.history_type, record.history_type),
        changes=record_changes(record, previous, private=private),
        history_id=record.history_id,
        model_label=record.instance_type._meta.label_lower,
    )


def journal(
    sources: Iterable[QuerySet], *, user=None, limit: int = 20, offset: int = 0
) -> list[JournalEntry]:
    """The ``limit`` latest changes (after skipping ``offset``) across several historical
    querysets, newest first: two queries per queryset whatever the page."""
    private = can_read_private(user)
    per_source = [
        [
            _entry(record, previous, private=private)
            for record, previous in _latest_with_predecessors(source, offset + limit)
        ]
        for source in sources
    ]
    entries = merge(*per_source, key=lambda e: (e.when, e.history_id), reverse=True)
    return list(entries)[offset : offset + limit]


def section_journal(section, *, user=None, limit: int = 20) -> list[JournalEntry]:
    """Changes to a health section, its objectives, their actions and the actions' fundings."""
    from contracts.models import Action, ActionFunding, HealthSection, Objective

    objective_ids = Objective.history.filter(section_id=section.pk).values("id")
    action_ids = Action.history.filter(objective_id__in=objective_ids).values("id")
    return journal(
        [
            HealthSection.history.filter(id=section.pk),
            Objective.history.filter(section_id=section.pk),
            Action.history.filter(objective_id__in=objective_ids),
            ActionFunding.history.filter(action_id__in=action_ids),
        ],
        user=user,
        limit=limit,
    )


def scheme_journal(scheme, *, user=None, limit: int = 20) -> list[JournalEntry]:
    """Changes to a scheme, its roles, fundings and mediator posts."""
    from devices.models import Funding, MediatorPost, Role, Scheme

    return journal(
        [
            Scheme.history.filter(id=scheme.pk),
            Role.history.filter(scheme_id=scheme.pk),
            Funding.history.filter(scheme_id=scheme.pk),
            MediatorPost.history.filter(scheme_id=scheme.pk),
        ],
        user=user,
        limit=limit,
    )


def area_territory(*, region=None, department=None, epci=None):
    """The territory of a region, a department or an EPCI, as the territory policy knows it:
    its communes and the EPCI that have communes there (two queries)."""
    from neighbourhoods.models import Commune, Epci
    from neighbourhoods.territory import Territory

    if epci is not None:
        communes = Commune.objects.filter(epci=epci)
    elif department is not None:
        communes = Commune.objects.filter(department=department)
    elif region is not None:
        communes = Commune.objects.filter(department__region=region)
    else:
        return None
    commune_ids = frozenset(communes.values_list("pk", flat=True))
    if epci is not None:
        epci_ids = frozenset({epci.pk})
    else:
        epci_ids = frozenset(
            Epci.objects.filter(communes__in=commune_ids).values_list("pk", flat=True).distinct()
        )
    return Territory(epci_ids=epci_ids, commune_ids=commune_ids)


def territory_sources(territory, since=None, until=None) -> list[QuerySet]:
    """The historical rows of every tracked model whose row sits in ``territory``
    (``neighbourhoods.territory.Territory``), changed between ``since`` and ``until``."""
    from neighbourhoods.territory import located

    sources = []
    for model in tracked_models():
        live = model._default_manager.filter(located(model, territory)).values("pk")
        records = model.history.filter(id__in=live)
        if since:
            records = records.filter(history_date__gte=since)
        if until:
            records = records.filter(history_date__lt=until)
        sources.append(records)
    return sources


def tracked_models() -> Sequence[type[models.Model]]:
    from contracts.models import Action, ActionFunding, CityContract, HealthSection, Objective
    from devices.models import Funding, MediatorPost, Person, Role, Scheme

    return (
        CityContract,
        HealthSection,
        Objective,
        Action,
        ActionFunding,
        Scheme,
        Role,
        Funding,
        MediatorPost,
        Person,
    )


@transaction.atomic
def version_restore(*, record, user) -> models.Model:
    """Puts the row back as it was in the historical ``record``; administrators only.

    The restored row is validated like any edit and its save leaves a new historical row, so
    the restoration itself appears in the journal.
    """
    if not can_restore(user):
        raise PermissionDenied("Seul·e un·e administrateur·rice peut restaurer une version.")
    instance = record.instance
    # Restoring an existing row updates it (uniqueness checked against the others); restoring a
    # deleted one creates it again with its former primary key.
    manager = type(instance)._default_manager
    instance._state.adding = not manager.filter(pk=instance.pk).exists()
    instance._history_user = user
    instance.full_clean()
    instance.save()
    return instance
