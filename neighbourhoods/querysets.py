from django.contrib.gis.geos import Point
from django.db import models

from neighbourhoods.enums import Geography, NeighbourhoodKind


class NeighbourhoodQuerySet(models.QuerySet):
    def qpv(self):
        return self.filter(kind=NeighbourhoodKind.QPV)

    def without_citizen_council(self):
        """Priority neighbourhoods that no citizen council covers, though the law of 21 February
        2014 asks for one in each (watch areas need none)."""
        return self.qpv().filter(citizen_council_coverages__isnull=True)

    def with_citizen_council(self):
        return self.filter(citizen_council_coverages__isnull=False)

    def of_geography(self, vintage: int = Geography.G2024):
        return self.filter(vintage=vintage)

    def as_of(self, vintage: int):
        """These neighbourhoods expressed in another geography: themselves when they already
        belong to it, else their recorded predecessors or successors (NeighbourhoodLink)."""
        from neighbourhoods.models import Neighbourhood

        codes = self.values("code")
        return (
            Neighbourhood.objects.filter(vintage=vintage)
            .filter(
                models.Q(code__in=codes)
                | models.Q(predecessors__code__in=codes)
                | models.Q(successors__code__in=codes)
            )
            .distinct()
        )

    def containing(self, point: Point):
        """Neighbourhoods whose contour contains ``point`` (WGS84), boundary included.

        ``intersects`` rather than ``contains``: a point on a shared boundary belongs to both
        neighbourhoods, on PostGIS and SpatiaLite alike, instead of to none.
        """
        if point.srid is None:
            point = Point(point.x, point.y, srid=4326)
        return self.filter(contour__intersects=point)
