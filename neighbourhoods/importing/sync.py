"""Bulk writes that touch only what changed, so that a re-run writes nothing."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from neighbourhoods.importing.report import ImportReport

BATCH = 2000


@dataclass
class UpsertResult:
    ids: dict  # key → primary key, for every key of the file
    created: int
    updated: int
    unchanged: int


def upsert(
    model: type[models.Model],
    key: str,
    desired: dict[str, dict],
    report: ImportReport | None = None,
) -> UpsertResult:
    """Creates or updates ``model`` rows keyed by ``key`` with the given field values.

    ``desired`` maps each key to {attname: value} (foreign keys by their ``*_id``). Rows of the
    table that are not in ``desired`` are left alone. Existing rows are compared as plain
    tuples, not model instances: a re-run of 35,000 unchanged rows stays cheap.
    """
    fields = sorted({field for values in desired.values() for field in values})
    existing = {
        row[0]: row[1:] for row in model.objects.values_list(key, "pk", *fields).iterator(2000)
    }
    to_create, to_update = [], []
    for code, values in desired.items():
        row = existing.get(code)
        if row is None:
            to_create.append(model(**{key: code}, **values))
        elif any(row[1 + fields.index(f)] != v for f, v in values.items()):
            to_update.append(model(pk=row[0], **{key: code}, **values))
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, fields + _stamp(model, to_update), batch_size=BATCH)
    ids = {code: row[0] for code, row in existing.items() if code in desired}
    ids.update({getattr(obj, key): obj.pk for obj in to_create})
    unchanged = len(desired) - len(to_create) - len(to_update)
    if report is not None:
        report.count("created", len(to_create))
        report.count("updated", len(to_update))
        report.count("unchanged", unchanged)
    return UpsertResult(ids, len(to_create), len(to_update), unchanged)


def sync_links(
    through: type[models.Model],
    owner_field: str,
    target_field: str,
    desired: dict[int, Iterable[int]],
) -> int:
    """Makes the many-to-many links of the owners in ``desired`` exactly those given.

    Returns how many links were added or removed (0 on a re-run of the same file).
    """
    owner_id, target_id = f"{owner_field}_id", f"{target_field}_id"
    current: dict[int, dict[int, int]] = {owner: {} for owner in desired}  # target → link pk
    links = through.objects.filter(**{f"{owner_id}__in": list(desired)})
    for pk, owner, target in links.values_list("pk", owner_id, target_id).iterator(BATCH):
        current[owner][target] = pk
    to_add, to_remove = [], []
    for owner, targets in desired.items():
        wanted = set(targets)
        to_add += [
            through(**{owner_id: owner, target_id: t}) for t in wanted - current[owner].keys()
        ]
        to_remove += [pk for target, pk in current[owner].items() if target not in wanted]
    through.objects.bulk_create(to_add, batch_size=BATCH)
    for start in range(0, len(to_remove), BATCH):
        through.objects.filter(pk__in=to_remove[start : start + BATCH]).delete()
    changed = {getattr(link, owner_id) for link in to_add} | {
        owner for owner, targets in current.items() for pk in targets.values() if pk in to_remove
    }
    _touch(through._meta.get_field(owner_field).related_model, changed)
    return len(to_add) + len(to_remove)


def _auto_now_fields(model: type[models.Model]) -> list:
    return [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _stamp(model: type[models.Model], objects: list[models.Model]) -> list[str]:
    """Sets the ``auto_now`` dates (``updated_at``) of rows about to be bulk-updated, which
    ``bulk_update`` leaves alone: the API's change feed (?updated_since=) must see them."""
    stamped = _auto_now_fields(model)
    for obj in objects:
        for field in stamped:
            field.pre_save(obj, add=False)
    return [field.name for field in stamped]


def _touch(model: type[models.Model], pks: set) -> None:
    """Moves the ``auto_now`` dates of rows whose links changed (a neighbourhood's communes are
    part of its API payload)."""
    stamped = _auto_now_fields(model)
    if not stamped or not pks:
        return
    now = timezone.now()
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        model.objects.filter(pk__in=pks[start : start + BATCH]).update(
            **{field.name: now for field in stamped}
        )
