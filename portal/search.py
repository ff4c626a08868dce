"""Public search: neighbourhoods (name, code), communes (name, INSEE code), EPCI (name, SIREN)
and city contracts (code, name), case- and accent-insensitive on PostgreSQL and SQLite alike.

Portable, without a stored normalised column: names are folded in SQL (lower case, accents
and ligatures removed, apostrophes and hyphens as spaces) by ``Folded``, LOWER and TRANSLATE on
PostgreSQL, Python's ``fold`` registered as an SQL function on SQLite (whose LOWER only knows
ASCII); the query is folded by ``fold``. Ranked: exact code, code prefix, exact name, name prefix, word
prefix, then anywhere in the name. Postcodes are not searchable: the reference (COG 2026 and
the QPV files) has no postcode column, and a postcode is not an INSEE code (Lille is 59350,
its postcodes 59000 to 59800).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import CharField, F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Contains
from django.urls import reverse

from contracts.models import CityContract
from neighbourhoods.enums import EpciNature
from neighbourhoods.models import Commune, Epci, Neighbourhood

MAX_QUERY_CHARS = 100
MIN_QUERY_CHARS = 2
MAX_SUGGESTIONS = 10
MAX_PER_KIND = 20

# Accented letters of French (and of the overseas' names), both cases, and what they fold to.
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ'’‘-"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy    "
LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"))
assert len(ACCENTED) == len(PLAIN)

KINDS = {
    "neighbourhood": "Quartiers prioritaires",
    "commune": "Communes",
    "epci": "Intercommunalités (EPCI)",
    "contract": "Contrats de ville",
}
KIND_LABELS = {
    "neighbourhood": "Quartier",
    "commune": "Commune",
    "epci": "EPCI",
    "contract": "Contrat de ville",
}
URL_NAMES = {
    "neighbourhood": "neighbourhood-page",
    "commune": "commune-page",
    "epci": "epci-page",
    "contract": "contract-page",
}
CODE_RANKS = (0, 1)  # exact code, code prefix


class Folded(Func):
    """A text column folded for comparison with ``fold()``."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        for ligature, plain in LIGATURES:
            sql = f"REPLACE({sql}, %s, %s)"
            params = [*params, ligature, plain]
        return f"TRANSLATE(LOWER({sql}), %s, %s)", [*params, ACCENTED, PLAIN]

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's LOWER only knows ASCII and nested REPLACEs overflow its parser: Python's
        # fold(), registered on each connection as it opens (register_sqlite_fold), is called
        # from SQL.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"portal_fold({sql})", params


def register_sqlite_fold(sender, connection, **kwargs):
    """``connection_created`` receiver: ``portal_fold`` on every SQLite connection. Registered
    once, when the connection opens: SQLite refuses to (re)define a function while a statement
    of the connection is still open (a streamed export being read, say)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, _fold_or_null, deterministic=True)


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelt out, apostrophes and hyphens as spaces."""
    for ligature, plain in LIGATURES:
        text = text.replace(ligature, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’‘\-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def folded_contains(field: str, query: str) -> Q:
    """``field`` contains ``query``, both folded (case, accents, ligatures, apostrophes): « ecole »
    finds « École ». A condition on the row's own column: for a related one, use it in an
    ``Exists`` on the related model (a lookup given as an expression is never a LEFT JOIN)."""
    return Q(Contains(Folded(field), fold(query)))


@functools.lru_cache(maxsize=100_000)
def _fold_or_null(text):
    # Cached: every search folds the same 40,000 names again.
    return None if text is None else fold(str(text))


def clean_query(raw: str | None) -> str:
    """The query without control characters, spaces collapsed, cut to MAX_QUERY_CHARS."""
    if not raw:
        return ""
    text = "".join(c for c in raw[: MAX_QUERY_CHARS * 4] if unicodedata.category(c)[0] != "C")
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class Hit:
    kind: str
    code: str
    name: str
    detail: str
    rank: int

    @property
    def url(self) -> str:
        return reverse(URL_NAMES[self.kind], args=[self.code])

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def detail_label(self) -> str:
        """What tells two hits of the same name apart: department, geography, nature."""
        if self.kind == "neighbourhood":
            return f"{self.code} · géographie {self.detail}"
        if self.kind == "epci":
            return f"SIREN {self.code} · {EpciNature(self.detail).label if self.detail in EpciNature.values else self.detail}"
        if self.kind == "commune":
            return f"{self.code} · {self.detail}" if self.detail else self.code
        return f"{self.code} · {self.detail}" if self.detail else self.code

    @property
    def exact_code(self) -> bool:
        return self.rank == 0


def _ranked(queryset: QuerySet, kind: str, code_field: str, detail, query: str) -> QuerySet:
    """Rows whose code or folded name match, as (kind, code, name, detail, rank) values."""
    folded = fold(query)
    code = re.sub(r"\s+", "", query).upper()
    name = Folded("name")
    matches = Q(**{f"{code_field}__startswith": code}) if code else Q(pk__in=[])
    if folded:
        matches |= Q(folded_name__contains=folded)
    rank = Case(
        When(**{code_field: code}, then=Value(0)),
        When(**{f"{code_field}__startswith": code}, then=Value(1)),
        When(folded_name=folded, then=Value(2)),
        When(folded_name__startswith=folded, then=Value(3)),
        When(folded_name__contains=f" {folded}", then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    return (
        queryset.annotate(folded_name=name)
        .filter(matches)
        .annotate(
            hit_kind=Value(kind, output_field=CharField()),
            hit_code=F(code_field),
            hit_detail=detail,
            hit_rank=rank,
        )
        .values_list("hit_kind", "hit_code", "name", "hit_detail", "hit_rank")
        .order_by()
    )


def _field_text(field: str):
    return Coalesce(Cast(F(field), CharField()), Value(""), output_field=CharField())


def _querysets(query: str) -> dict[str, QuerySet]:
    return {
        "neighbourhood": _ranked(
            Neighbourhood.objects.all(), "neighbourhood", "code", _field_text("vintage"), query
        ),
        "commune": _ranked(
            Commune.objects.all(), "commune", "insee_code", _field_text("department__name"), query
        ),
        "epci": _ranked(Epci.objects.all(), "epci", "siren", _field_text("nature"), query),
        "contract": _ranked(
            CityContract.objects.all(), "contract", "code", _field_text("department__name"), query
        ),
    }


def suggest(raw: str | None) -> list[Hit]:
    """At most MAX_SUGGESTIONS hits of every kind, best first, in one query."""
    query = clean_query(raw)
    if len(query) < MIN_QUERY_CHARS:
        return []
    querysets = list(_querysets(query).values())
    union = querysets[0].union(*querysets[1:], all=True).order_by("hit_rank", "name", "hit_code")
    return [Hit(*row) for row in union[:MAX_SUGGESTIONS]]


def search(raw: str | None) -> dict[str, list[Hit]]:
    """Hits grouped by kind (at most MAX_PER_KIND each, best first): one query per kind."""
    query = clean_query(raw)
    if len(query) < MIN_QUERY_CHARS:
        return {}
    return {
        kind: [
            Hit(*row) for row in queryset.order_by("hit_rank", "name", "hit_code")[:MAX_PER_KIND]
        ]
        for kind, queryset in _querysets(query).items()
    }
