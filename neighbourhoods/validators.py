"""Official identifiers and plausible values, checked the same way by forms, models and importers.

Each rule is a function returning the French reason a value is refused (or None), so that an
importer can report it on its line and a model can raise it as a field error.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from neighbourhoods.limits import MAX_YEAR, MIN_YEAR

SIREN_FORMAT = re.compile(r"[0-9]{9}")  # [0-9], not \d: Unicode digits are not SIREN digits
INSEE_CODE_FORMAT = re.compile(r"([0-9]{2}|2A|2B)[0-9]{3}")
# Database checks: the same formats (ASCII classes in PostgreSQL and in SQLite's Python regexp).
SIREN_SQL = r"^[0-9]{9}$"
SIREN_OR_INSEE_SQL = r"^([0-9]{9}|([0-9]{2}|2A|2B)[0-9]{3})$"


def luhn_valid(digits: str) -> bool:
    """The Luhn key INSEE gives every SIREN (La Poste's 356000000 passes it too; only the
    SIRET of La Poste's establishments escape it, and the portal stores no SIRET)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def siren_error(value: str) -> str | None:
    if not SIREN_FORMAT.fullmatch(value):
        return f"SIREN {value[:20]!r} invalide : 9 chiffres attendus."
    if not luhn_valid(value):
        return f"SIREN {value} invalide : la clé de contrôle (formule de Luhn) ne correspond pas."
    return None


def insee_code_error(value: str) -> str | None:
    if not INSEE_CODE_FORMAT.fullmatch(value):
        return f"code INSEE {value[:20]!r} invalide : 5 caractères attendus (ex. 59350, 2A004)."
    return None


def year_error(value: int) -> str | None:
    if not MIN_YEAR <= value <= MAX_YEAR:
        return f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR} (reçu : {value})."
    return None


def sentence(reason: str) -> str:
    """A reason as importers print it (« SIREN … ») made a sentence for a form."""
    return reason[:1].upper() + reason[1:]


def _raise(reason: str | None, code: str) -> None:
    if reason:
        raise ValidationError(sentence(reason), code=code)


# Module-level functions, not closures: migrations refer to validators by their dotted path.
def validate_siren(value: str) -> None:
    _raise(siren_error(value), "siren")


def validate_insee_code(value: str) -> None:
    _raise(insee_code_error(value), "insee_code")


def validate_year(value: int) -> None:
    _raise(year_error(value), "year")


def plausible_year(field: str, prefix: str, *, nullable: bool = True) -> models.CheckConstraint:
    """Database check: a year between MIN_YEAR and MAX_YEAR (99999 and 0001 are typos)."""
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_{field}_plausible",
        violation_error_message=f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.",
    )
