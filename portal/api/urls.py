"""The partner REST API, version 1 (/api/v1/). Each app registers its own resources."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from contracts import api as contracts_api
from contracts import api_write as contracts_api_write
from devices import api as devices_api
from devices import api_write as devices_api_write
from neighbourhoods import api as neighbourhoods_api

router = DefaultRouter(trailing_slash=True)
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
]
