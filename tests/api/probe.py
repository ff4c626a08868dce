"""A tiny test-only resource, so that the API's access machinery is tested whatever resources
the router holds: published schemes, read by anyone, written through ``portal.api.access``.

Used as ROOT_URLCONF (``PROBE_URLCONF``): the portal's URLs with /api/probe/ in front.
"""

from django.urls import include, path
from rest_framework import exceptions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from devices.models import Scheme
from portal import urls as portal_urls
from portal.api import access


class ProbeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["uid", "name", "kind", "carrier"]
        read_only_fields = ["uid"]


class ProbeViewSet(viewsets.ModelViewSet):
    serializer_class = ProbeSerializer
    lookup_field = "uid"
    queryset = Scheme.objects.filter(is_published=True).order_by("pk")

    def perform_create(self, serializer):
        scheme = Scheme(**serializer.validated_data)
        reason = access.write_refusal(self.request, scheme, "create")
        if reason:
            raise exceptions.PermissionDenied(reason)
        serializer.save()


probe_router = SimpleRouter()
probe_router.register("probes", ProbeViewSet, basename="probe")

urlpatterns = [path("api/probe/", include(probe_router.urls)), *portal_urls.urlpatterns]
PROBE_URLCONF = "tests.api.probe"
