from django.contrib.gis.geos import GEOSGeometry, MultiPoint, Point
from django.db import models

from neighbourhoods.enums import Geography, NeighbourhoodKind


class CommuneQuerySet(models.QuerySet):
    def with_geography(self):
        return self.select_related("department__region", "epci")


class NeighbourhoodQuerySet(models.QuerySet):
    def qpv(self):
        return self.filter(kind=NeighbourhoodKind.QPV)

    def of_geography(self, vintage: int = Geography.G2024):
        return self.filter(vintage=vintage)

    def as_of(self, vintage: int):
        """These neighbourhoods expressed in another geography: themselves when they already
        belong to it, else their recorded predecessors or successors (NeighbourhoodLink)."""
        from neighbourhoods.models import Neighbourhood

        codes = list(self.values_list("code", flat=True))
        return (
            Neighbourhood.objects.filter(vintage=vintage)
            .filter(
                models.Q(code__in=codes)
                | models.Q(predecessors__code__in=codes)
                | models.Q(successors__code__in=codes)
            )
            .distinct()
        )

    def in_department(self, code: str):
        return self.filter(communes__department__code=code).distinct()

    def in_epci(self, siren: str):
        return self.filter(epci__siren=siren)

    def with_communes(self):
        return self.select_related("epci").prefetch_related("communes")

    def containing(self, point: Point):
        """Neighbourhoods whose contour contains ``point`` (WGS84), boundary included.

        ``intersects`` rather than ``contains``: a point on a shared boundary belongs to both
        neighbourhoods, on PostGIS and SpatiaLite alike, instead of to none.
        """
        if point.srid is None:
            point = Point(point.x, point.y, srid=4326)
        return self.filter(contour__intersects=point)

    def containing_any(self, points: list[Point] | MultiPoint | GEOSGeometry):
        """Neighbourhoods hit by at least one point of the batch, in one query."""
        batch = points if isinstance(points, GEOSGeometry) else MultiPoint(*points, srid=4326)
        if batch.srid is None:
            batch.srid = 4326
        return self.filter(contour__intersects=batch)


class IndicatorValueQuerySet(models.QuerySet):
    def available(self):
        from neighbourhoods.enums import ValueStatus

        return self.filter(status=ValueStatus.AVAILABLE)

    def latest_for(self, neighbourhood):
        return (
            self.filter(neighbourhood=neighbourhood)
            .select_related("indicator")
            .order_by("indicator__code", "-year")
        )
