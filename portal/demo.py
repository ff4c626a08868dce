"""Demo content built from the seeds (fixtures/demo/), loaded by `make run`.

Every row is looked up by its natural key (codes, SIREN, INSEE codes, names) so that a second
run changes nothing and the demo coexists with the national reference imported beforehand.
Every object is validated with full_clean() before it is saved.
"""

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import models, transaction

from contracts.models import (
    Action,
    ActionFunding,
    CityContract,
    HealthSection,
    Objective,
    Review,
    ReviewAnswer,
    ReviewComment,
    Signatory,
)
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
    Commune,
    Department,
    Epci,
    Neighbourhood,
    Region,
    Typology,
    TypologyFamily,
)
from portal.accounts import account_create
from portal.enums import UserRole

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo"
DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = (
    ("admin", UserRole.ADMIN),
    ("coordination", UserRole.COORDINATOR),
    ("ars", UserRole.ARS_REVIEWER),
)
COORDINATOR_EPCI = "245901160"  # Valenciennes Métropole
ARS_ORGANISATION = "ARS – Délégation territoriale du Nord"

DATE_FIELDS = {"signed_on", "start_date", "end_date", "diagnosis_date"}


DECIMAL_FIELDS = {"coordination_fte", "project_cost", "fte", "amount", "share"}


def picked(row: dict, keys: tuple[str, ...]) -> dict:
    """The keys present in a JSON row; decimals (written as strings) become Decimal."""
    to_decimal = models.DecimalField().to_python
    return {
        key: to_decimal(row[key]) if key in DECIMAL_FIELDS else row[key]
        for key in keys
        if key in row
    }


class DemoDataError(ValueError):
    """A demo row breaks a model rule: the message names the file, the row and the rule."""


def current_value(instance: models.Model, field: str):
    """The stored value of a field; a foreign key is compared by its id, a geometry by its WKT."""
    model_field = instance._meta.get_field(field)
    value = getattr(instance, model_field.attname)
    return value.wkt if hasattr(value, "wkt") else value


def comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return value.wkt if hasattr(value, "wkt") else value


class DemoLoader:
    """Upserts the demo content and counts what it created, updated or left unchanged."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.counts: Counter[str] = Counter()
        self.current_file = ""

    def read(self, name: str) -> dict:
        self.current_file = name
        with (self.directory / name).open(encoding="utf-8") as handle:
            return json.load(handle)

    def upsert(self, model: type[models.Model], lookup: dict, values: dict | None = None):
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**lookup)
        changed = created
        for field, value in (values or {}).items():
            if field in DATE_FIELDS and isinstance(value, str):
                value = date.fromisoformat(value)
            if current_value(instance, field) != comparable(value):
                setattr(instance, field, value)
                changed = True
        if changed:
            try:
                instance.full_clean()
            except ValidationError as exc:
                raise DemoDataError(
                    f"{self.current_file} : {model._meta.verbose_name} {lookup} : {exc.messages}"
                ) from exc
            instance.save()
        self.counts["created" if created else "updated" if changed else "unchanged"] += 1
        return instance

    # Territories ---------------------------------------------------------------------------

    def territories(self) -> None:
        data = self.read("territories.json")
        for row in data["regions"]:
            self.upsert(Region, {"code": row["code"]}, {"name": row["name"]})
        regions = {r.code: r for r in Region.objects.all()}
        for row in data["departments"]:
            self.upsert(
                Department,
                {"code": row["code"]},
                {"name": row["name"], "region": regions[row["region"]]},
            )
        for row in data["epcis"]:
            self.upsert(
                Epci, {"siren": row["siren"]}, {"name": row["name"], "nature": row["nature"]}
            )
        departments = {d.code: d for d in Department.objects.all()}
        for row in data["communes"]:
            self.upsert(
                Commune,
                {"insee_code": row["insee_code"]},
                {
                    "name": row["name"],
                    "department": departments[row["department"]],
                    "epci": self.epci(row["epci"]),
                    "population": row["population"],
                },
            )
        for row in data["neighbourhoods"]:
            neighbourhood = self.upsert(
                Neighbourhood,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "vintage": row["vintage"],
                    "epci": self.epci(row["epci"]),
                    "in_renewal_programme": row.get("in_renewal_programme", False),
                },
            )
            neighbourhood.communes.set(self.communes(row["communes"]))

    def epci(self, siren: str | None) -> Epci | None:
        return Epci.objects.get(siren=siren) if siren else None

    def communes(self, codes: list[str]) -> list[Commune]:
        return list(Commune.objects.filter(insee_code__in=codes))

    def neighbourhoods(self, codes: list[str]) -> list[Neighbourhood]:
        found = list(Neighbourhood.objects.filter(code__in=codes))
        missing = set(codes) - {n.code for n in found}
        if missing:
            raise ValueError(f"Quartiers inconnus dans les données de démonstration : {missing}")
        return found

    # Devices -------------------------------------------------------------------------------

    def organisation(self, name: str | None) -> Organisation | None:
        return Organisation.objects.get(name=name) if name else None

    def person(self, full_name: str | None) -> Person | None:
        if not full_name:
            return None
        first_name, last_name = full_name.split(" ", 1)
        return Person.objects.get(first_name=first_name, last_name=last_name)

    def devices(self) -> None:
        data = self.read("devices.json")
        for typology in data["typologies"]:
            families = typology.pop("families")
            parent = self.upsert(Typology, {"code": typology.pop("code")}, typology)
            for family in families:
                self.upsert(
                    TypologyFamily, {"typology": parent, "code": family.pop("code")}, family
                )
        for row in data["thematics"]:
            self.upsert(Thematic, {"code": row["code"]}, {"label": row["label"]})
        for row in data["organisations"]:
            self.upsert(
                Organisation,
                {"name": row["name"], "kind": row["kind"]},
                {
                    "acronym": row.get("acronym", ""),
                    "parent": self.organisation(row.get("parent")),
                    "department": Department.objects.filter(code=row.get("department")).first(),
                    "commune": Commune.objects.filter(insee_code=row.get("commune")).first(),
                    "epci": Epci.objects.filter(siren=row.get("epci")).first(),
                },
            )
        for row in data["people"]:
            self.upsert(
                Person,
                {"first_name": row["first_name"], "last_name": row["last_name"]},
                {
                    "organisation": self.organisation(row.get("organisation")),
                    "email": row.get("email", ""),
                },
            )
        for row in data["schemes"]:
            self.scheme(row)
        for row in data["structures"]:
            self.structure(row)

    def scheme(self, row: dict) -> None:
        plain = picked(
            row,
            (
                "status",
                "description",
                "signed_on",
                "start_date",
                "end_date",
                "generation",
                "coordination_fte",
                "start_year",
                "participation_level",
            ),
        )
        scheme = self.upsert(
            Scheme,
            {"kind": row["kind"], "name": row["name"]},
            {
                **plain,
                "carrier": self.organisation(row["carrier"]),
                "reference_hospital": self.organisation(row.get("reference_hospital")),
                "is_published": True,
            },
        )
        scheme.communes.set(self.communes(row.get("communes", [])))
        scheme.epcis.set(Epci.objects.filter(siren__in=row.get("epcis", [])))
        scheme.neighbourhoods.set(self.neighbourhoods(row.get("neighbourhoods", [])))
        scheme.thematics.set(Thematic.objects.filter(code__in=row.get("thematics", [])))
        for signatory in row.get("signatories", []):
            self.upsert(
                SchemeSignatory,
                {"scheme": scheme, "organisation": self.organisation(signatory["organisation"])},
                {"role": signatory["role"], "signed_on": signatory.get("signed_on")},
            )
        for role in row.get("roles", []):
            organisation = self.organisation(role.get("organisation"))
            self.upsert(
                Role,
                {
                    "person": self.person(role["person"]),
                    "kind": role["kind"],
                    "scheme": None if organisation else scheme,
                    "organisation": organisation,
                },
                {"fte": None, "start_date": None, **picked(role, ("fte", "start_date"))},
            )
        for funding in row.get("fundings", []):
            self.funding(Funding, {"scheme": scheme}, funding)
        for post in row.get("mediator_posts", []):
            mediator_post = self.upsert(
                MediatorPost,
                {
                    "scheme": scheme,
                    "employer": self.organisation(post["employer"]),
                    "start_date": date.fromisoformat(post["start_date"]),
                },
                {
                    "mediator": self.person(post.get("mediator")),
                    "end_date": post["end_date"],
                    "renewals": post["renewals"],
                    "over_30": post["over_30"],
                    "lives_in_qpv": post["lives_in_qpv"],
                    "job_seeker_or_insertion": post["job_seeker_or_insertion"],
                },
            )
            mediator_post.neighbourhoods.set(self.neighbourhoods(post["neighbourhoods"]))

    def funding(self, model: type[models.Model], owner: dict, row: dict) -> None:
        self.upsert(
            model,
            {
                **owner,
                "funder": self.organisation(row["funder"]),
                "year": row["year"],
                "programme": row["programme"],
            },
            {"amount": None, "share": None, **picked(row, ("amount", "share"))},
        )

    def structure(self, row: dict) -> None:
        commune = Commune.objects.get(insee_code=row["commune"])
        values = picked(
            row,
            (
                "address",
                "description",
                "doctors",
                "paramedics",
                "professionals",
                "floor_area",
                "population_served",
                "project_cost",
            ),
        )
        structure = self.upsert(
            HealthStructure,
            {"kind": row["kind"], "name": row["name"], "commune": commune},
            {
                **values,
                "carrier": self.organisation(row.get("carrier")),
                "location": Point(*row["location"], srid=4326),
            },
        )
        structure.communes_served.set([commune])

    # Contracts -----------------------------------------------------------------------------

    def contracts(self) -> None:
        data = self.read("contracts.json")
        for row in data["contracts"]:
            self.contract(row)

    def contract(self, row: dict) -> None:
        contract = self.upsert(
            CityContract,
            {"code": row["code"]},
            {
                "name": row["name"],
                "generation": row["generation"],
                "carrier_kind": row["carrier_kind"],
                "carrier_epci": self.epci(row.get("carrier_epci")),
                "carrier_commune": Commune.objects.filter(
                    insee_code=row.get("carrier_commune")
                ).first(),
                "department": Department.objects.get(code=row["department"]),
                "signed_on": row.get("signed_on"),
                "description": row.get("description", ""),
            },
        )
        contract.communes.set(self.communes(row["communes"]))
        contract.neighbourhoods.set(self.neighbourhoods(row["neighbourhoods"]))
        for signatory in row["signatories"]:
            self.upsert(
                Signatory,
                {
                    "contract": contract,
                    "organisation": self.organisation(signatory["organisation"]),
                },
                {"role": signatory["role"], "signed_on": signatory.get("signed_on")},
            )
        section_data = row["health_section"]
        constituted_by = section_data.get("constituted_by")
        section = self.upsert(
            HealthSection,
            {"contract": contract},
            {
                "title": section_data["title"],
                "diagnosis_summary": section_data.get("diagnosis_summary", ""),
                "diagnosis_date": section_data.get("diagnosis_date"),
                "diagnosis_with_asv": section_data.get("diagnosis_with_asv", False),
                "constituted_by": (
                    Scheme.objects.get(kind=constituted_by[0], name=constituted_by[1])
                    if constituted_by
                    else None
                ),
                "is_published": section_data["is_published"],
            },
        )
        for objective in section_data["objectives"]:
            self.objective(section, None, objective)
        for action in section_data.get("actions", []):
            self.action(section, action)

    def objective(self, section: HealthSection, parent: Objective | None, row: dict) -> None:
        objective = self.upsert(
            Objective,
            {"section": section, "number": row["number"]},
            {
                "parent": parent,
                "level": row["number"].count(".") + 1,
                "title": row["title"],
                "description": row.get("description", ""),
            },
        )
        for child in row.get("children", []):
            self.objective(section, objective, child)

    def action(self, section: HealthSection, row: dict) -> None:
        objective = Objective.objects.get(section=section, number=row["objective"])
        action = self.upsert(
            Action,
            {"objective": objective, "title": row["title"]},
            {
                "carrier": self.organisation(row.get("carrier")),
                "status": row["status"],
                "participation_level": row.get("participation_level"),
                "start_year": row.get("start_year"),
                "end_year": row.get("end_year"),
            },
        )
        action.schemes.set(
            [Scheme.objects.get(kind=kind, name=name) for kind, name in row.get("schemes", [])]
        )
        action.neighbourhoods.set(self.neighbourhoods(row.get("neighbourhoods", [])))
        for funding in row.get("fundings", []):
            self.funding(ActionFunding, {"action": action}, funding)

    # Accounts and review ---------------------------------------------------------------------

    def accounts(self) -> dict[str, object]:
        accounts = {}
        for username, role in DEMO_ACCOUNTS:
            accounts[username] = account_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                epcis=Epci.objects.filter(siren=COORDINATOR_EPCI)
                if role == UserRole.COORDINATOR
                else (),
                organisation=self.organisation(ARS_ORGANISATION)
                if role == UserRole.ARS_REVIEWER
                else None,
                # Interim (review_flow): the Nord delegation reviews the Nord's sections.
                departments=Department.objects.filter(code="59")
                if role == UserRole.ARS_REVIEWER
                else (),
            )
        return accounts

    def review(self, reviewer) -> None:
        data = self.read("contracts.json")["review"]
        section = HealthSection.objects.get(contract__code=data["contract"])
        # Interim (review_flow): the seed's review is round 1 of the section's ARS review, its
        # five criteria the round's checklist; the demo owner's loader will take the new states.
        status = {"pending": "submitted", "in_progress": "in_review"}.get(
            data["status"], data["status"]
        )
        review = self.upsert(
            Review, {"section": section, "number": 1}, {"reviewer": reviewer, "status": status}
        )
        self.upsert(HealthSection, {"pk": section.pk}, {"review_status": status})
        criteria = {"mental_health_considered": "mental_health"}
        for key in (
            "diagnosis_shared",
            "cls_articulated",
            "mental_health_considered",
            "residents_involved",
            "prs_consistent",
        ):
            self.upsert(
                ReviewAnswer,
                {"review": review, "criterion": criteria.get(key, key)},
                {"answer": data[key]},
            )
        for comment in data["comments"]:
            saved = self.upsert(
                ReviewComment, {"review": review, "author": reviewer, "body": comment["body"]}
            )
            # created_at is auto_now_add: the seed's date is set after the first save.
            when = datetime.fromisoformat(comment["created_at"])
            if saved.created_at != when:
                ReviewComment.objects.filter(pk=saved.pk).update(created_at=when)


@transaction.atomic
def demo_load(*, with_accounts: bool, directory: Path = DEMO_DIR) -> dict[str, int]:
    """Loads the demo content; returns how many rows were created, updated and unchanged."""
    loader = DemoLoader(directory)
    loader.territories()
    loader.devices()
    loader.contracts()
    if with_accounts:
        accounts = loader.accounts()
        loader.review(accounts["ars"])
    return dict(loader.counts)
