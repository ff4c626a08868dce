"""The admin base for models with a map: Leaflet widget, safe geometry input."""

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.utils.html import format_html
from leaflet.admin import LeafletGeoAdmin

from neighbourhoods.forms import SafeGeometryField, SafeLeafletWidget


class GeoAdmin(LeafletGeoAdmin):
    """LeafletGeoAdmin whose geometry fields are SafeGeometryField with a SafeLeafletWidget.

    LeafletGeoAdmin builds geometry form fields itself and never reads ``formfield_overrides``,
    hence the form class set here.
    """

    widget = SafeLeafletWidget

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", SafeGeometryField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def readonly_map(geometry, label: str) -> str:
    """A map of ``geometry`` drawn by ``static/js/readonly-map.js`` (no inline script: the CSP
    forbids it), with the tiles of MAP_TILES_URL when set; « — » without a geometry."""
    if geometry is None or geometry.empty:
        return "—"
    return format_html(
        '<div class="readonly-map" role="img" aria-label="{}" data-geojson="{}" '
        'data-tiles="{}" data-attribution="{}"></div>',
        label,
        geometry.geojson,
        settings.MAP_TILES_URL or "",
        settings.MAP_TILES_ATTRIBUTION or "",
    )
