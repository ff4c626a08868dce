"""FilterSets of the territories' API resources: every filter has a French help text, shown in
the OpenAPI documentation."""

from neighbourhoods.models import Region
from portal.api.feed import FeedFilterSet


class RegionFilter(FeedFilterSet):
    class Meta:
        model = Region
        fields = []
