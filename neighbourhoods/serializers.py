"""Public form of the territories in the partner API: official codes and URLs, never ids."""

from rest_framework import serializers

from neighbourhoods.models import Region
from portal.api.base import CodeLinkField, SelfUrlField


class RegionSerializer(serializers.ModelSerializer):
    url = SelfUrlField("region-detail", "code")
    departments = CodeLinkField("department-detail", "code", many=True)

    class Meta:
        model = Region
        fields = ["code", "name", "url", "updated_at", "departments"]
