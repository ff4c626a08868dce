"""The admin base for models with a map: Leaflet widget, safe geometry input."""

from django.contrib.gis.db.models import GeometryField
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
