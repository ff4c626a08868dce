"""Cursor pagination of the partner API: stable pages under concurrent writes, bounded sizes.

A cursor, unlike a page number, does not skip or repeat rows when rows are added or deleted
between two requests: the next page starts after the last row seen, by the list's ordering
(official code by default, then the internal key as a tie-breaker that never shows).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import force_str
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class CodeCursorPagination(CursorPagination):
    """``?cursor=`` (opaque, from the ``next``/``previous`` links) and ``?page_size=`` (1 to
    1,000, 100 by default). A page size out of bounds or not a number is refused (400) rather
    than silently replaced, so that a mirror never believes it received everything."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Nombre d'éléments par page, de 1 à {MAX_PAGE_SIZE} ({DEFAULT_PAGE_SIZE} par défaut)."
    )
    cursor_query_description = (
        "Curseur de pagination : ne le construisez pas, suivez les liens « next » et "
        "« previous » de la réponse."
    )
    invalid_cursor_message = (
        "Curseur de pagination invalide ou expiré : repartez de la première page."
    )
    # The view's default ordering (official code, then pk) applies when ``?ordering=`` is absent.
    ordering = ("pk",)
    # The browsable API's page controls render with DRF's English template; the links suffice.
    template = None

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except (TypeError, ValueError):
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Taille de page invalide : {force_str(raw)[:20]!r} ; "
                        f"attendu un entier de 1 à {self.max_page_size}."
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise self._invalid_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError):
            # A hand-made cursor whose position does not fit the ordering's field (a date
            # that is not one, text for a number): the database is never asked.
            raise self._invalid_cursor() from None

    def _invalid_cursor(self):
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        body.update(getattr(self, "extra", {}))
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["next"]["description"] = (
            "Lien vers la page suivante (null en fin de liste)."
        )
        described["properties"]["previous"]["description"] = "Lien vers la page précédente."
        described["properties"]["deleted"] = {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": (
                "Présent quand ?updated_since= est donné : lien vers les suppressions "
                "(codes et dates) survenues depuis la même date."
            ),
        }
        return described
