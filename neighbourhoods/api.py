"""This app's resources in the partner API (/api/v1/): the territories, read-only."""

from django.db.models import Prefetch

from neighbourhoods import api_filters, serializers
from neighbourhoods.models import Department, Region
from portal.api.base import PublicReadViewSet


class RegionViewSet(PublicReadViewSet):
    """Régions (code officiel géographique de l'INSEE), avec leurs départements."""

    resource_name = "regions"
    not_found_label = "Aucune région n'a"
    lookup_field = "code"
    serializer_class = serializers.RegionSerializer
    filterset_class = api_filters.RegionFilter
    ordering = ("code", "pk")
    ordering_fields = ("code", "name", "updated_at")
    search_fields = ("code", "name")
    export_columns = [
        ("code", "Code INSEE"),
        ("name", "Nom"),
        ("departments.code", "Départements (codes)"),
        ("updated_at", "Modifiée le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return Region.objects.prefetch_related(
            Prefetch("departments", queryset=Department.objects.only("code", "name", "region_id"))
        )


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("regions", RegionViewSet, basename="region")
