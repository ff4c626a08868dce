"""Demo content built from the seeds (fixtures/demo/), loaded by `make run`.

Declarative: ``ENTRIES`` lists, in loading order, each model with its data file, its natural key
and the fields the file sets. A new model is one entry and one file. Each file is a JSON list of
rows (or an object with ``rows`` and ``_``-prefixed notes); a row gives the key fields and any of
the declared fields, a field left out takes the model's default, so the file is the whole truth
of the fields it declares. A foreign key or a many-to-many is written as the natural key of the
row it points at: a value when that key has one field, a list in key order otherwise
(``"scheme": ["CLS", "Château-Thierry"]``), nested for keys that are themselves references.

Rows are looked up by their natural key, so the demo sits on top of the national reference and a
second run changes nothing. Every row is validated with ``full_clean()`` before it is saved. The
whole load is one transaction: the first problem (unknown field, unknown reference, rule broken)
stops it with a ``DemoDataError`` naming the file, the row and the field, and nothing is written.
"""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models.fields import NOT_PROVIDED

from contracts.calls import CallForProjects, Proposal
from contracts.cycle import Evaluation, HealthDiagnosis
from contracts.models import (
    Action,
    ActionFunding,
    CityContract,
    HealthSection,
    Objective,
    Signatory,
)
from devices.governance import GovernanceBody, GovernanceMember, SchemeLink
from devices.models import (
    Funding,
    HealthStructure,
    MediatorPost,
    Organisation,
    Person,
    Role,
    Scheme,
    SchemeSignatory,
    Thematic,
)
from neighbourhoods.models import (
    CitizenCouncil,
    CitizenCouncilCoverage,
    Commune,
    Department,
    Epci,
    Neighbourhood,
    Region,
    Typology,
    TypologyFamily,
)
from portal.accounts import account_create
from portal.demo_workflows import demo_workflows
from portal.enums import UserRole
from portal.models import User

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo"
DEMO_PASSWORD = "demo"
# username, role, SIREN of the coordinator's EPCI
DEMO_ACCOUNTS = (
    ("admin", UserRole.ADMIN, None),
    ("coordination", UserRole.COORDINATOR, "245901160"),  # Valenciennes Métropole
    ("ars", UserRole.ARS_REVIEWER, None),
    ("coordination-mel", UserRole.COORDINATOR, "200093201"),  # Métropole Européenne de Lille
    ("coordination-boulonnais", UserRole.COORDINATOR, "246200729"),  # CA du Boulonnais
)
# The demo ARS reviewer answers for the Nord and the Pas-de-Calais (the Boulonnais' opinions).
ARS_DEPARTMENTS = ("59", "62")
DEMO_USERNAMES = tuple(username for username, _, _ in DEMO_ACCOUNTS)
ARS_ORGANISATION = "ARS – Délégation territoriale du Nord"


@dataclass(frozen=True)
class Entry:
    """One model of the demo: its file, its natural key, the other fields its file sets."""

    model: type[models.Model]
    file: str
    key: tuple[str, ...]
    fields: tuple[str, ...] = ()
    needs_accounts: bool = False  # points at demo accounts: loaded after them


ENTRIES: tuple[Entry, ...] = (
    # Territories
    Entry(Region, "regions.json", ("code",), ("name",)),
    Entry(Department, "departments.json", ("code",), ("name", "region")),
    Entry(Epci, "epcis.json", ("siren",), ("name", "nature")),
    Entry(
        Commune,
        "communes.json",
        ("insee_code",),
        ("name", "department", "epci", "population"),
    ),
    Entry(
        Neighbourhood,
        "neighbourhoods.json",
        ("code",),
        ("name", "kind", "vintage", "epci", "in_renewal_programme", "communes"),
    ),
    Entry(
        CitizenCouncil,
        "citizen_councils.json",
        ("name",),
        (
            "created_on",
            "residents_members",
            "local_actors_members",
            "support_structure",
            "public_email",
            "public_address",
            "website",
            "notes",
        ),
    ),
    Entry(
        CitizenCouncilCoverage, "citizen_council_coverages.json", ("neighbourhood",), ("council",)
    ),
    Entry(Typology, "typologies.json", ("code",), ("name", "source", "vintage", "description")),
    Entry(
        TypologyFamily,
        "typology_families.json",
        ("typology", "code"),
        ("label", "colour", "neighbourhood_count", "population", "description"),
    ),
    # Schemes and their partners
    Entry(Thematic, "thematics.json", ("code",), ("label",)),
    Entry(
        Organisation,
        "organisations.json",
        ("name",),
        ("kind", "acronym", "parent", "department", "commune", "epci"),
    ),
    Entry(
        Person,
        "people.json",
        ("first_name", "last_name"),
        ("organisation", "email", "professional_email", "publish_professional_contact"),
    ),
    Entry(
        Scheme,
        "schemes.json",
        ("kind", "name"),
        (
            "status",
            "carrier",
            "reference_hospital",
            "description",
            "signed_on",
            "start_date",
            "end_date",
            "generation",
            "coordination_fte",
            "start_year",
            "participation_level",
            "illustrative",
            "is_published",
            "stage",
            "communes",
            "epcis",
            "neighbourhoods",
            "thematics",
        ),
    ),
    Entry(
        SchemeSignatory,
        "scheme_signatories.json",
        ("scheme", "organisation"),
        ("role", "signed_on"),
    ),
    Entry(SchemeLink, "scheme_links.json", ("source", "kind", "target"), ("note",)),
    Entry(GovernanceBody, "governance_bodies.json", ("scheme", "kind"), ("remit",)),
    Entry(GovernanceMember, "governance_members.json", ("body", "organisation"), ("chairs",)),
    Entry(
        Role,
        "roles.json",
        ("person", "kind", "scheme", "organisation"),
        ("fte", "start_date"),
    ),
    Entry(
        Funding,
        "fundings.json",
        ("scheme", "funder", "year", "programme"),
        ("purpose", "amount", "share", "illustrative"),
    ),
    Entry(
        MediatorPost,
        "mediator_posts.json",
        ("scheme", "employer", "start_date"),
        (
            "mediator",
            "end_date",
            "renewals",
            "over_30",
            "lives_in_qpv",
            "job_seeker_or_insertion",
            "neighbourhoods",
        ),
    ),
    Entry(
        HealthStructure,
        "health_structures.json",
        ("kind", "name", "commune"),
        (
            "carrier",
            "address",
            "description",
            "doctors",
            "paramedics",
            "professionals",
            "floor_area",
            "population_served",
            "project_cost",
            "location",
            "consultation_every_days",
            "communes_served",
        ),
    ),
    # City contracts and their health sections
    Entry(
        CityContract,
        "city_contracts.json",
        ("code",),
        (
            "name",
            "generation",
            "carrier_kind",
            "carrier_epci",
            "carrier_commune",
            "department",
            "signed_on",
            "description",
            "communes",
            "neighbourhoods",
        ),
    ),
    Entry(
        Signatory, "contract_signatories.json", ("contract", "organisation"), ("role", "signed_on")
    ),
    Entry(
        HealthSection,
        "health_sections.json",
        ("contract",),
        (
            "title",
            "constituted_by",
            "stage",
        ),
    ),
    Entry(
        HealthDiagnosis,
        "health_diagnoses.json",
        ("section", "scheme"),
        ("carried_out_on", "summary", "method", "co_author_schemes", "co_author_organisations"),
    ),
    Entry(
        Evaluation,
        "evaluations.json",
        ("section", "scheme", "carried_out_on"),
        ("findings", "evaluated_by", "evaluators"),
    ),
    Entry(
        Objective,
        "objectives.json",
        ("section", "number"),
        ("parent", "level", "title", "description"),
    ),
    Entry(
        Action,
        "actions.json",
        ("objective", "title"),
        (
            "carrier",
            "status",
            "participation_aimed",
            "participation_reached",
            "illustrative",
            "start_year",
            "end_year",
            "schemes",
            "neighbourhoods",
        ),
    ),
    Entry(
        ActionFunding,
        "action_fundings.json",
        ("action", "funder", "year", "programme"),
        ("amount", "share", "illustrative"),
    ),
    # Calls for projects; their opinions and decisions are given by demo_workflows()
    Entry(
        CallForProjects,
        "calls_for_projects.json",
        ("contract", "year", "title"),
        ("funder", "programme", "budget", "opens_on", "closes_on", "is_published", "orientations"),
    ),
    Entry(
        Proposal,
        "proposals.json",
        ("call", "title"),
        ("carrier", "description", "amount_asked", "is_health"),
    ),
)

# Models the demo points at without loading them from a file.
REFERENCED_KEYS: dict[type[models.Model], tuple[str, ...]] = {User: ("username",)}


class DemoDataError(ValueError):
    """A demo row cannot be loaded: the message names the file, the row and the field."""


def current_value(instance: models.Model, field: models.Field):
    """The stored value of a field; a foreign key is compared by its id, a geometry by its WKT."""
    value = getattr(instance, field.attname)
    return value.wkt if hasattr(value, "wkt") else value


def comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return value.wkt if hasattr(value, "wkt") else value


def default_of(field: models.Field):
    """What a field left out of a row holds: its default, else empty (None or "")."""
    if field.default is not NOT_PROVIDED:
        return field.get_default()
    return None if field.null else field.get_default()


def key_of(raw, length: int) -> tuple:
    """A natural key as a tuple (a one-field key is written as its value)."""
    if length == 1:
        return (raw,)
    if not isinstance(raw, list) or len(raw) != length:
        raise ValueError(f"clé attendue sous forme de liste de {length} valeurs, reçu {raw!r}")
    return tuple(raw)


def broken_constraints(instance: models.Model) -> list[str]:
    """The database constraints the row breaks, each with the fields it bears on: a check
    constraint is a rule of the whole row for Django, but its condition names its fields."""
    reasons = []
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance)
        except ValidationError as exc:
            condition = getattr(constraint, "condition", None)
            fields = sorted(condition.referenced_base_fields) if condition else []
            fields = fields or list(getattr(constraint, "fields", ()))
            names = ", ".join(f"« {name} »" for name in fields)
            prefix = f"champ {names} : " if len(fields) == 1 else f"champs {names} : "
            reasons.append((prefix if fields else "") + " ".join(exc.messages))
    return reasons


def frozen(raw) -> str:
    return json.dumps(raw, ensure_ascii=False, sort_keys=True)


class DemoLoader:
    """Upserts the rows of each entry and counts what it created, updated or left unchanged."""

    def __init__(self, directory: Path, entries: tuple[Entry, ...] = ENTRIES):
        self.directory = directory
        self.counts: Counter[str] = Counter()
        self.keys = {entry.model: entry.key for entry in entries} | REFERENCED_KEYS
        self.found: dict[tuple[type[models.Model], str], models.Model] = {}
        self.place = ""

    # Errors ------------------------------------------------------------------------------

    def error(self, field: str | None, reason: str) -> DemoDataError:
        where = f"{self.place}, champ « {field} »" if field else self.place
        return DemoDataError(f"{where} : {reason}")

    # Reading -----------------------------------------------------------------------------

    def rows(self, entry: Entry) -> list[dict]:
        self.place = entry.file
        path = self.directory / entry.file
        try:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise self.error(None, "fichier introuvable") from None
        except json.JSONDecodeError as exc:
            raise self.error(None, f"JSON invalide ({exc})") from None
        if isinstance(data, dict):
            data = data.get("rows")
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise self.error(None, "une liste d'objets (ou un objet avec « rows ») est attendue")
        return data

    # Values ------------------------------------------------------------------------------

    def value(self, field: models.Field, raw):
        """The Python value of a JSON value for a (non many-to-many) field."""
        if raw is None:
            return None
        if field.is_relation:
            return self.resolve(field.related_model, raw, field.name)
        try:
            if isinstance(field, GeometryField):
                return GEOSGeometry(raw)
            return field.to_python(raw)
        except (ValidationError, ValueError, TypeError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise self.error(field.name, " ".join(messages)) from None

    def resolve(self, model: type[models.Model], raw, field_name: str) -> models.Model:
        """The row of ``model`` whose natural key is ``raw``; an unknown key stops the load."""
        cache_key = (model, frozen(raw))
        if cache_key in self.found:
            return self.found[cache_key]
        names = self.keys.get(model)
        if names is None:
            raise self.error(field_name, f"{model._meta.label} n'a pas de clé naturelle déclarée")
        try:
            parts = key_of(raw, len(names))
        except ValueError as exc:
            raise self.error(field_name, str(exc)) from None
        lookup = {
            name: self.value(model._meta.get_field(name), part)
            for name, part in zip(names, parts, strict=True)
        }
        rows = list(model._default_manager.filter(**lookup)[:2])
        if len(rows) != 1:
            what = "aucune fiche" if not rows else "plusieurs fiches"
            raise self.error(field_name, f"{what} « {model._meta.verbose_name} » de clé {raw!r}")
        self.found[cache_key] = rows[0]
        return rows[0]

    def resolve_many(self, field: models.Field, raw) -> list[models.Model]:
        if not isinstance(raw, list):
            raise self.error(field.name, f"liste attendue, reçu {raw!r}")
        return [self.resolve(field.related_model, item, field.name) for item in raw]

    # Writing -----------------------------------------------------------------------------

    def load(self, entry: Entry) -> None:
        for number, row in enumerate(self.rows(entry), start=1):
            key = {name: row.get(name) for name in entry.key}
            self.place = f"{entry.file}, ligne {number} {key}"
            unknown = sorted(set(row) - set(entry.key) - set(entry.fields))
            if unknown:
                raise self.error(unknown[0], "champ inconnu de cette entrée")
            instance = self.upsert(entry, row)
            raw_key = row.get(entry.key[0]) if len(entry.key) == 1 else list(key.values())
            self.found[(entry.model, frozen(raw_key))] = instance

    def upsert(self, entry: Entry, row: dict) -> models.Model:
        model = entry.model
        meta = model._meta
        lookup = {name: self.value(meta.get_field(name), row.get(name)) for name in entry.key}
        instance = model._default_manager.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**lookup)
        changed = created
        many, stamped = {}, {}
        for name in entry.fields:
            field = meta.get_field(name)
            if field.many_to_many:
                many[field] = self.resolve_many(field, row.get(name, []))
                continue
            value = self.value(field, row[name]) if name in row else default_of(field)
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                stamped[field] = value  # save() would overwrite it: set after saving
            elif current_value(instance, field) != comparable(value):
                setattr(instance, name, value)
                changed = True
        if changed:
            self.validate(instance)
            instance.save()
        for field, targets in many.items():
            manager = getattr(instance, field.name)
            wanted = {target.pk for target in targets}
            if created or set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(targets)
                changed = True
        updates = {
            field.attname: value
            for field, value in stamped.items()
            if value is not None and current_value(instance, field) != value
        }
        if updates:
            model._default_manager.filter(pk=instance.pk).update(**updates)
            for attname, value in updates.items():
                setattr(instance, attname, value)
            changed = True
        self.counts["created" if created else "updated" if changed else "unchanged"] += 1
        return instance

    def validate(self, instance: models.Model) -> None:
        try:
            instance.full_clean()
        except ValidationError as exc:
            reasons = []
            for field, messages in exc.message_dict.items():
                if field == NON_FIELD_ERRORS:
                    reasons += broken_constraints(instance) or [" ".join(messages)]
                else:
                    reasons.append(f"champ « {field} » : {' '.join(messages)}")
            raise self.error(None, "; ".join(reasons)) from None

    # Accounts ----------------------------------------------------------------------------

    def accounts(self) -> None:
        for username, role, siren in DEMO_ACCOUNTS:
            account_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                epcis=Epci.objects.filter(siren=siren) if siren else (),
                organisation=Organisation.objects.get(name=ARS_ORGANISATION)
                if role == UserRole.ARS_REVIEWER
                else None,
                departments=Department.objects.filter(code__in=ARS_DEPARTMENTS)
                if role == UserRole.ARS_REVIEWER
                else (),
            )


@transaction.atomic
def demo_load(
    *, with_accounts: bool, directory: Path = DEMO_DIR, entries: tuple[Entry, ...] = ENTRIES
) -> dict[str, int]:
    """Loads the demo content; returns how many rows were created, updated and unchanged."""
    loader = DemoLoader(directory, entries)
    for entry in entries:
        if not entry.needs_accounts:
            loader.load(entry)
    if with_accounts:
        loader.accounts()
        for entry in entries:
            if entry.needs_accounts:
                loader.load(entry)
        if entries is ENTRIES:  # a partial table (tests) has nothing to play them on
            demo_workflows(loader.counts, directory, DEMO_USERNAMES)
    return dict(loader.counts)
