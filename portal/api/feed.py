"""The change feed: what a partner mirroring the data needs to stay in sync incrementally.

* ``?updated_since=<ISO 8601>`` on every list keeps the rows changed at or after that instant
  (``updated_at >= since``: a row changed in the same instant as the previous sync is sent
  again rather than missed; replaying it is harmless).
* ``GET /api/v1/<resource>/deleted/?since=<ISO 8601>`` lists the deletions (tombstones: public
  code and deletion date) at or after that instant; a list called with ``updated_since`` links
  to it in its ``deleted`` member.
* A resource's ``updated_at`` moves when a child that is part of its payload changes (a
  neighbourhood's indicator values, citizen council, families, communes…): see the app's
  ``api_feed`` module.

A mirror keeps the ``Date`` of its last sync and asks for both with it.
"""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from portal.api.pagination import CodeCursorPagination
from portal.models import Tombstone

UPDATED_SINCE = "updated_since"
SINCE = "since"
DATETIME_HELP = (
    "Date et heure ISO 8601, avec fuseau de préférence (ex. 2026-01-31T08:00:00Z ou "
    "2026-01-31T09:00:00+01:00) ; sans fuseau, heure de Paris ; une date seule vaut minuit."
)
UPDATED_SINCE_HELP = (
    "Flux des modifications : seulement les éléments créés ou modifiés à cette date ou après. "
    + DATETIME_HELP
    + " Les suppressions sont listées à part (lien « deleted » de la réponse)."
)
# A '+' left unencoded in a query string arrives as a space: "…T09:00:00 01:00".
_SPACE_FOR_PLUS = re.compile(r"^(\S+T[\d:.,]+) (\d{2}(:?\d{2})?)$")


def parse_instant(value: str, field: str) -> datetime.datetime:
    """An ISO 8601 date or date-time → an aware datetime; a French 400 error otherwise."""
    text = (value or "").strip()
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text)
    parsed = None
    try:
        parsed = parse_datetime(text)
        if parsed is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or not 1900 <= parsed.year <= 9999:
        raise ValidationError(
            {field: [f"Date invalide : {text[:40]!r}. " + DATETIME_HELP]}, code="invalid"
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    # Real offsets lie within ±14:00; PostgreSQL refuses beyond ±15:59. Compared in UTC.
    try:
        if abs(parsed.utcoffset()) > datetime.timedelta(hours=14):
            raise OverflowError
        return parsed.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError(
            {field: [f"Fuseau horaire invalide : {text[:40]!r}. " + DATETIME_HELP]},
            code="invalid",
        ) from None


class InstantField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_instant(value, UPDATED_SINCE)
        except ValidationError as error:
            raise forms.ValidationError(error.detail[UPDATED_SINCE][0], code="invalid") from None


class UpdatedSinceFilter(django_filters.Filter):
    field_class = InstantField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("help_text", UPDATED_SINCE_HELP)
        super().__init__(**kwargs)


class FeedFilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet: the change feed's ``updated_since``."""

    updated_since = UpdatedSinceFilter()


class TombstoneSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code officiel de l'élément supprimé.")
    deleted_at = serializers.DateTimeField(help_text="Date et heure de la suppression.")


class TombstonePagination(CodeCursorPagination):
    ordering = ("deleted_at", "pk")


def deleted_url(request, since: str) -> str:
    """The link from a list called with ``updated_since`` to its deletions since then."""
    from urllib.parse import urlencode

    base = request.build_absolute_uri(request.path)
    return f"{base}deleted/?{urlencode({SINCE: since})}"


class ChangeFeedMixin:
    """Adds ``GET <resource>/deleted/?since=`` to a viewset whose rows ``track_deletions``
    follows under the name ``resource_name`` (the endpoint's name)."""

    resource_name: str

    def feed_extra(self, request) -> dict:
        since = request.query_params.get(UPDATED_SINCE)
        if since is None:
            return {}
        return {"deleted": deleted_url(request, since)}

    @extend_schema(
        summary="Suppressions (flux des modifications)",
        description=(
            "Les éléments de cette ressource supprimés à la date donnée ou après, les plus "
            "anciens d'abord : leur code officiel et la date de la suppression. À appeler avec "
            "la même date que ?updated_since= sur la liste pour tenir un miroir à jour."
        ),
        parameters=[
            OpenApiParameter(
                SINCE,
                OpenApiTypes.DATETIME,
                description="Suppressions survenues à cette date ou après (toutes si absent). "
                + DATETIME_HELP,
            )
        ],
        responses=TombstoneSerializer(many=True),
        filters=False,
    )
    @action(
        detail=False,
        url_path="deleted",
        filter_backends=[],
        pagination_class=TombstonePagination,
        renderer_classes=api_settings.DEFAULT_RENDERER_CLASSES,
    )
    def deleted(self, request, *args, **kwargs):
        tombstones = Tombstone.objects.filter(resource=self.resource_name)
        if SINCE in request.query_params:
            since = parse_instant(request.query_params[SINCE], SINCE)
            tombstones = tombstones.filter(deleted_at__gte=since)
        page = self.paginate_queryset(tombstones.only("code", "deleted_at"))
        return self.get_paginated_response(TombstoneSerializer(page, many=True).data)
