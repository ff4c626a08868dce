"""Lost-update guard: a content fingerprint (like an HTTP ETag) of an object and its inline rows.

Whoever opens an object for editing keeps ``version_of(obj)``; whoever saves it first calls
``ensure_unchanged(obj, version)`` inside the saving transaction. If anything the edit page
shows changed in between (a field, a many-to-many choice, an inline row), the save is refused
with ``ConcurrentChange`` instead of silently reverting the other person's edit. No column is
needed: the fingerprint is computed from the rows themselves, in one query whatever their number.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsWKT
from django.db import models
from django.db.models.functions import Cast
from django.utils.timezone import localtime

# ASCII control characters, never typed in a form, keep fields and rows apart.
ROW_SEPARATOR = "\x1d"
NULL = "\x1e"  # tells NULL apart from an empty string
SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Tracked:
    """What the edit page of a model shows besides its own fields and many-to-many choices:
    the reverse relations edited inline (their own many-to-many choices come along)."""

    subject: str  # « Ce volet santé », for the conflict message
    feminine: bool = False  # « Cette personne a été modifiée »
    inlines: tuple[str, ...] = ()


TRACKED: dict[str, Tracked] = {
    "contracts.citycontract": Tracked("Ce contrat de ville", inlines=("signatories",)),
    "contracts.healthsection": Tracked(
        "Ce volet santé", inlines=("objectives", "health_diagnoses", "evaluations")
    ),
    "contracts.callforprojects": Tracked("Cet appel à projets", inlines=("proposals",)),
    "contracts.objective": Tracked("Cet objectif", inlines=("actions",)),
    "contracts.action": Tracked("Cette action", feminine=True, inlines=("fundings",)),
    "contracts.review": Tracked("Ce tour de relecture", inlines=("answers", "comments")),
    "devices.scheme": Tracked(
        "Ce dispositif",
        inlines=(
            "signatories",
            "roles",
            "fundings",
            "mediator_posts",
            "outgoing_links",
            "health_diagnoses",
            "evaluations",
        ),
    ),
    "devices.governancebody": Tracked(
        "Cette instance de gouvernance", feminine=True, inlines=("members", "meetings")
    ),
    "devices.person": Tracked("Cette personne", feminine=True, inlines=("roles",)),
    "neighbourhoods.neighbourhood": Tracked(
        "Ce quartier", inlines=("indicator_values", "memberships")
    ),
    "neighbourhoods.citizencouncil": Tracked("Ce conseil citoyen", inlines=("coverages",)),
    "neighbourhoods.typology": Tracked("Cette typologie", feminine=True, inlines=("families",)),
    "neighbourhoods.typologyfamily": Tracked(
        "Cette famille de typologie", feminine=True, inlines=("memberships",)
    ),
}
UNTRACKED = Tracked("Cette fiche", feminine=True)


def tracked(model: type[models.Model]) -> Tracked:
    return TRACKED.get(model._meta.label_lower, UNTRACKED)


class ConcurrentChange(Exception):
    """Someone else saved the object since ``expected_version`` was read."""

    def __init__(self, obj: models.Model, last_change: LogEntry | None):
        self.obj = obj
        self.last_change = last_change
        super().__init__(self.message)

    @property
    def message(self) -> str:
        what = tracked(type(self.obj))
        e = "e" if what.feminine else ""
        text = (
            f"{what.subject} a été modifié{e} par quelqu'un d'autre depuis que vous "
            f"l'avez ouvert{e}."
        )
        if self.last_change is not None:
            text += f" Dernière modification enregistrée : {last_change_text(self.last_change)}."
        return text


def version_of(obj: models.Model) -> str:
    """Fingerprint of the object's fields, its many-to-many choices and its inline rows."""
    rows = sorted(_fingerprint_rows(obj))
    return hashlib.sha256(ROW_SEPARATOR.join(rows).encode()).hexdigest()


def ensure_unchanged(obj: models.Model, expected_version: str) -> None:
    """Raises ConcurrentChange unless the object is still as it was when ``expected_version``
    was read. Call it inside the transaction that saves: the row stays locked until commit
    (where the database can lock rows), so two saves cannot both pass the check."""
    model = type(obj)
    list(model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    if version_of(obj) != expected_version:
        raise ConcurrentChange(obj, last_change_of(obj))


def last_change_of(obj: models.Model) -> LogEntry | None:
    """The last change recorded by the admin, to say who and when (other writers leave none)."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )


def last_change_text(entry: LogEntry) -> str:
    user = entry.user
    when = localtime(entry.action_time)
    return f"par {user.get_full_name() or user.get_username()} le {when:%d/%m/%Y} à {when:%H:%M}"


# Fingerprint rows --------------------------------------------------------------------------


def _fingerprint_rows(obj: models.Model) -> list[str]:
    """Every row the edit page shows, as text, in one UNION ALL query."""
    model = type(obj)
    parts = [(model._default_manager.filter(pk=obj.pk), "self")]
    parts += _many_to_many_parts(model, "pk", obj.pk, "self")
    for name in tracked(model).inlines:
        relation = model._meta.get_field(name)
        child = relation.related_model
        lookup = relation.field.name
        parts.append((child._default_manager.filter(**{lookup: obj.pk}), name))
        parts += _many_to_many_parts(child, lookup, obj.pk, name)
    width = max(len(queryset.model._meta.concrete_fields) for queryset, _ in parts)
    first, *others = [_columns(queryset, label, width) for queryset, label in parts]
    query = first.union(*others, all=True) if others else first
    return [SEPARATOR.join(NULL if value is None else value for value in row) for row in query]


def _columns(queryset: models.QuerySet, label: str, width: int) -> models.QuerySet:
    """The label, then each concrete field as text, padded with NULLs to a common width
    (the parts of a UNION have as many columns, of the same type)."""
    columns = [_as_text(field) for field in queryset.model._meta.concrete_fields]
    padding = [Cast(models.Value(None), models.TextField())] * (width - len(columns))
    label_column = Cast(models.Value(label), models.TextField())
    return queryset.order_by().values_list(label_column, *columns, *padding)


def _as_text(field: models.Field):
    if isinstance(field, GeometryField):
        return AsWKT(field.attname)
    return Cast(field.attname, models.TextField())


def _many_to_many_parts(model, lookup: str, pk, label: str) -> list[tuple[models.QuerySet, str]]:
    """The through rows of the model's form-editable many-to-many fields."""
    parts = []
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue  # an explicit through model is edited elsewhere, not by the form
        source = field.m2m_field_name()
        path = source if lookup == "pk" else f"{source}__{lookup}"
        parts.append((through._default_manager.filter(**{path: pk}), f"{label}.{field.name}"))
    return parts
