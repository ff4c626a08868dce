"""The partner REST API, version 1 (/api/v1/). Each app registers its own resources.

Around it: the OpenAPI schema (/api/schema/), Swagger UI (/api/docs/), Redoc (/api/redoc/), the
guide (/api/guide/); any other address under /api/ answers a 404 problem detail.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from contracts import api as contracts_api
from contracts import api_write as contracts_api_write
from devices import api as devices_api
from devices import api_write as devices_api_write
from neighbourhoods import api as neighbourhoods_api
from portal.api import views

router = views.ApiRouter(trailing_slash=True)
for module in (
    neighbourhoods_api,
    devices_api,
    contracts_api,
    devices_api_write,
    contracts_api_write,
):
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", views.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("guide/", views.guide, name="api-guide"),
    path("", views.index, name="api-index"),
    re_path(r"^.*$", views.not_found),
]
