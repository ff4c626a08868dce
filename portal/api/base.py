"""The base of every read resource of the partner API.

``PublicReadViewSet`` gives a resource, from a ``get_queryset`` (which fetches related rows in a
constant number of queries), a serializer and a FilterSet:
* lookup by official code (``/api/v1/communes/59350/``), French 404 for an unknown one;
* filters (django-filter), full-text ``?q=``, ``?ordering=`` with a stable tie-breaker, cursor
  pagination (``portal.api.pagination``);
* the change feed (``?updated_since=``, ``<resource>/deleted/``: ``portal.api.feed``);
* exports of the whole filtered list, streamed: ``?format=csv``, ``xlsx`` and, for resources
  with a geometry, ``geojson`` (also chosen by ``Accept``).
"""

import re
from itertools import islice
from urllib.parse import quote

from django.db.models import Q
from django.http import FileResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from portal.api import renderers
from portal.api.feed import ChangeFeedMixin
from portal.api.pagination import CodeCursorPagination
from portal.search import folded_contains

EXPORT_CHUNK_SIZE = 1000


def batched(iterable, size: int):
    """Lists of ``size`` items of ``iterable`` (itertools.batched from Python 3.12 on)."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class TextSearchFilter(SearchFilter):
    """``?q=``: every word must appear in one of the view's ``search_fields``, case and accents
    folded as on the portal's search page (``portal.search.folded_contains``). A related field
    (``carrier__name``) is compared in a subquery, so that a row without the relation is still
    found by its other fields."""

    search_param = "q"
    search_title = "Recherche"
    search_description = (
        "Recherche plein texte (nom, code…) : chaque mot doit apparaître, sans distinction de "
        "casse ni d'accents."
    )

    def filter_queryset(self, request, queryset, view):
        fields = self.get_search_fields(view, request)
        terms = self.get_search_terms(request)
        if not fields or not terms:
            return queryset
        model = queryset.model
        for term in terms:
            condition = Q()
            for field in fields:
                if "__" in field:
                    matching = model._base_manager.filter(folded_contains(field, term))
                    condition |= Q(pk__in=matching.values("pk"))
                else:
                    condition |= folded_contains(field, term)
            queryset = queryset.filter(condition)
        return queryset


class StableOrderingFilter(OrderingFilter):
    """``?ordering=name`` or ``-name``…, among the view's ``ordering_fields``; the view's default
    ordering follows as a tie-breaker so that cursor pages never repeat or skip a row. An unknown
    field is refused (400) rather than ignored."""

    ordering_title = "Tri"
    ordering_description = (
        "Champ de tri, précédé de « - » pour l'ordre décroissant (ex. -updated_at). "
        "Par défaut : le code officiel."
    )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = list(view.ordering_fields)
        parameters[0]["schema"] = {"type": "string", "enum": fields + [f"-{f}" for f in fields]}
        return parameters

    def get_ordering(self, request, queryset, view):
        default = tuple(view.ordering)
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            return default
        fields = [term.strip() for term in raw.split(",") if term.strip()]
        allowed = set(view.ordering_fields)
        wrong = [field for field in fields if field.lstrip("-") not in allowed]
        if wrong or not fields:
            choices = ", ".join(sorted(allowed))
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Tri inconnu : {raw[:40]!r}. Champs possibles : {choices}."
                    ]
                }
            )
        chosen = [view.ordering_aliases.get(f.lstrip("-"), f.lstrip("-")) for f in fields]
        ordering = [
            ("-" if field.startswith("-") else "") + name
            for field, name in zip(fields, chosen, strict=True)
        ]
        return tuple(ordering) + tuple(f for f in default if f.lstrip("-") not in chosen)


GEOMETRY_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "Géométrie GeoJSON (RFC 7946) en WGS84, longitude puis latitude.",
    "properties": {
        "type": {"type": "string", "enum": ["Point", "MultiPoint", "MultiPolygon", "Polygon"]},
        "coordinates": {"type": "array", "items": {}},
    },
    "required": ["type", "coordinates"],
}
FEATURE_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "description": "Code officiel."},
        "geometry": GEOMETRY_SCHEMA,
        "properties": {
            "type": "object",
            "additionalProperties": True,
            "description": "Les colonnes de l'export CSV, à plat (region_code, epci_name…).",
        },
    },
    "required": ["type", "geometry", "properties"],
}
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "description": "Toutes les lignes qui répondent aux filtres, sans pagination.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE_SCHEMA},
    },
    "required": ["type", "features"],
}
FILE_SCHEMA = {
    "type": "string",
    "format": "binary",
    "description": "Fichier de toutes les lignes qui répondent aux filtres, sans pagination.",
}


class PublicReadSchema(api_settings.DEFAULT_SCHEMA_CLASS):
    """Describes the export formats as what they are: GeoJSON features, CSV and XLSX files
    (not the JSON page), and errors as JSON only."""

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content")
        if not content:
            return response
        exports = {
            renderer.media_type: renderer.format
            for renderer in self.view.get_renderers()
            if getattr(renderer, "streamed", False)
        }
        for media_type in list(content):
            export = exports.get(media_type)
            if export is None:
                continue
            if not str(status_code).startswith("2"):
                del content[media_type]
            elif export == "geojson":
                many = self._is_list_view(serializer)
                content[media_type] = {
                    "schema": FEATURE_COLLECTION_SCHEMA if many else FEATURE_SCHEMA
                }
            else:
                content[media_type] = {"schema": FILE_SCHEMA}
        return response


class PublicReadViewSet(
    ChangeFeedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read-only resource keyed by an official code. Subclasses set ``queryset`` or
    ``get_queryset``, ``serializer_class``, ``filterset_class``, ``lookup_field`` (the code's
    field), ``ordering`` (code then pk), ``ordering_fields``, ``search_fields``,
    ``resource_name`` (the endpoint's name, also the tombstones'), ``export_columns`` (dotted
    path in the serialized row → French header) and, with a geometry, ``geo_feature``."""

    schema = PublicReadSchema()
    lookup_url_kwarg = "code"
    # Official codes: letters, digits, dashes (never a dot, kept for DRF's format suffixes).
    lookup_value_regex = r"[^/.]+"
    pagination_class = CodeCursorPagination
    filter_backends = [DjangoFilterBackend, TextSearchFilter, StableOrderingFilter]
    ordering_aliases: dict[str, str] = {}
    export_columns: list[tuple[str, str]] = []
    export_formats = ("csv", "xlsx")
    # The 404's French message; ``{code}`` is the code asked for.
    not_found_message = "Aucun élément n'a le code « {code} »."
    # Resources read in bulk build their rows from ``.values()`` rather than model instances
    # and a serializer (which cost several times the queries at 100 rows): ``record_fields``
    # lists the main query's values and ``build_rows`` turns a batch of them into payload rows,
    # for lists, details and exports alike. The serializer still describes the payload to the
    # OpenAPI schema. Empty: the serializer builds the rows.
    record_fields: tuple[str, ...] = ()

    def get_renderers(self):
        if "renderer_classes" in self.__dict__:  # set by an @action (deleted/, locate/)
            return super().get_renderers()
        classes = list(api_settings.DEFAULT_RENDERER_CLASSES)
        if self.geo_feature_enabled():
            classes.append(renderers.GeoJSONRenderer)
        classes += [renderers.CSVRenderer, renderers.XLSXRenderer]
        return [renderer() for renderer in classes]

    def geo_feature_enabled(self) -> bool:
        return type(self).geo_feature is not PublicReadViewSet.geo_feature

    def geo_feature(self, obj, row: dict) -> dict:
        """The GeoJSON Feature of ``obj`` (``row``: its serialized form); resources with a
        geometry override this."""
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL in text: refuse it here, in French, before any filter runs.
        wrong = [
            name for name, value in request.query_params.lists() if "\x00" in name + "".join(value)
        ]
        if wrong:
            raise ValidationError(
                {wrong[0][:40].replace("\x00", ""): ["Un caractère nul n'est pas permis."]}
            )

    # Reads

    def build_rows(self, records: list[dict]) -> list[dict]:
        """The payload rows of ``records`` (dicts of ``record_fields``), in the same order, in
        a fixed number of queries."""
        raise NotImplementedError

    def records(self, queryset):
        """``queryset`` as it is read: dicts of ``record_fields`` when the resource builds its
        rows from them, else model instances."""
        return queryset.values(*self.get_record_fields()) if self.record_fields else queryset

    def get_record_fields(self) -> tuple[str, ...]:
        return self.record_fields

    def serialize(self, objects) -> list[dict]:
        if self.record_fields:
            return self.build_rows(list(objects))
        return self.get_serializer(objects, many=True).data

    def get_object(self):
        queryset = self.records(self.get_queryset())
        code = self.kwargs[self.lookup_url_kwarg]
        field = queryset.model._meta.get_field(self.lookup_field)
        if "\x00" in code or len(code) > (field.max_length or 64):
            # Not a code at all: no query (PostgreSQL would refuse NUL or an oversized value).
            raise NotFound(self.not_found_message.format(code=code[:40].replace("\x00", "")))
        try:
            return queryset.get(**{self.lookup_field: code})
        except queryset.model.DoesNotExist:
            raise NotFound(self.not_found_message.format(code=code[:40])) from None

    def list(self, request, *args, **kwargs):
        queryset = self.records(self.filter_queryset(self.get_queryset()))
        if self.exporting():
            return self.export(queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE), many=True)
        page = self.paginate_queryset(queryset)
        self.paginator.extra = self.feed_extra(request)
        return self.get_paginated_response(self.serialize(page))

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if self.exporting():
            return self.export([instance], many=False)
        return Response(self.serialize([instance])[0])

    # Exports

    def exporting(self) -> bool:
        return getattr(self.request.accepted_renderer, "streamed", False)

    def export_filename(self, extension: str) -> str:
        code = self.kwargs.get(self.lookup_url_kwarg)
        stem = f"{self.resource_name}-{code}" if code else self.resource_name
        stem = re.sub(r"[^A-Za-z0-9_-]", "_", stem)
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"

    def rows(self, objects):
        """(object, serialized row) pairs, serialized as the export is written: one by one, or
        a batch of ``EXPORT_CHUNK_SIZE`` records at a time for resources built from records."""
        if self.record_fields:
            for batch in batched(objects, EXPORT_CHUNK_SIZE):
                yield from zip(batch, self.build_rows(batch), strict=True)
            return
        # One serializer for every row: its fields are built once, not per row.
        serializer = self.get_serializer()
        for obj in objects:
            yield obj, serializer.to_representation(obj)

    def export(self, objects, *, many: bool):
        renderer = self.request.accepted_renderer
        filename = self.export_filename(renderer.format)
        if renderer.format == "geojson":
            features = (self.geo_feature(obj, row) for obj, row in self.rows(objects))
            if not many:
                feature = next(features)
                response = Response(feature)
                response["Content-Disposition"] = f'inline; filename="{filename}"'
                return response
            response = StreamingHttpResponse(
                renderers.stream_feature_collection(features),
                content_type=renderers.GEOJSON_MEDIA_TYPE,
            )
            disposition = "inline"
        elif renderer.format == "csv":
            response = StreamingHttpResponse(
                renderers.stream_csv(self.export_columns, (row for _, row in self.rows(objects))),
                content_type="text/csv; charset=utf-8",
            )
            disposition = "attachment"
        else:
            workbook = renderers.write_xlsx(
                self.export_columns,
                (row for _, row in self.rows(objects)),
                title=self.resource_name,
            )
            response = FileResponse(workbook, content_type=renderers.XLSX_MEDIA_TYPE)
            disposition = "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked: a CSV or a GeoJSON error body would be
        # read as data by the partner's tools.
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and getattr(getattr(request, "accepted_renderer", None), "streamed", False)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


# References by code and URL


def api_url(context: dict, view_name: str, code: str) -> str | None:
    """The absolute API URL of the object ``code`` of ``view_name`` (``commune-detail``…),
    reversed once per request and view name, then filled in: a list of a thousand rows does not
    reverse a thousand URLs. None when the resource is not routed."""
    templates = context.setdefault("_url_templates", {})
    if view_name not in templates:
        try:
            path = reverse(view_name, kwargs={"code": PLACEHOLDER})
        except NoReverseMatch:
            templates[view_name] = None
        else:
            request = context.get("request")
            templates[view_name] = request.build_absolute_uri(path) if request else path
    template = templates[view_name]
    if template is None or code is None:
        return None
    return template.replace(PLACEHOLDER, quote(str(code), safe=""))


PLACEHOLDER = "__code__"
LINK_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Code officiel."},
        "name": {"type": "string", "description": "Nom."},
        "url": {"type": "string", "format": "uri", "nullable": True},
    },
    "required": ["code", "name", "url"],
}


@extend_schema_field(LINK_SCHEMA)
class CodeLinkField(serializers.RelatedField):
    """A related object as ``{"code", "name", "url"}``: its official code, its name and its URL
    in the API; never an internal id. ``many=True`` reads a prefetched relation."""

    def __init__(self, view_name: str, code_field: str, name_field: str = "name", **kwargs):
        self.view_name = view_name
        self.code_field = code_field
        self.name_field = name_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        code = getattr(value, self.code_field)
        return {
            "code": code,
            "name": getattr(value, self.name_field),
            "url": api_url(self.context, self.view_name, code),
        }


@extend_schema_field({"type": "string", "format": "uri", "description": "Adresse dans l'API."})
class SelfUrlField(serializers.Field):
    """The object's own API URL, from its official code."""

    def __init__(self, view_name: str, code_field: str, **kwargs):
        self.view_name = view_name
        self.code_field = code_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return api_url(self.context, self.view_name, getattr(value, self.code_field))
