"""The catalogue's scheme viewset with the write mixin, as the integrator registers it: the
portal's URLs with this /api/v1/schemes/ in front."""

from django.urls import include, path

from devices.api import SchemeViewSet
from devices.api_write import SchemeWriteMixin
from portal import urls as portal_urls
from portal.api.views import ApiRouter


class CatalogueSchemeViewSet(SchemeWriteMixin, SchemeViewSet):
    pass


router = ApiRouter(trailing_slash=True)
router.register("schemes", CatalogueSchemeViewSet, basename="scheme")

urlpatterns = [path("api/v1/", include(router.urls)), *portal_urls.urlpatterns]
