"""The partner REST API, version 1 (/api/v1/). Each app registers its own resources.

Around it: the OpenAPI schema (/api/schema/), Swagger UI (/api/docs/), Redoc (/api/redoc/), the
guide (/api/guide/); any other address under /api/ answers a 404 problem detail.
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import include, path, re_path

from contracts import api as contracts_api
from contracts import api_write as contracts_api_write
from devices import api as devices_api
from devices import api_write as devices_api_write
from neighbourhoods import api as neighbourhoods_api
from portal.api import views

REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]

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
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    # Swagger UI's stylesheet draws its icons as data: images; Redoc injects its styles at run
    # time, with the page's nonce (static/js/redoc-init.js). Scripts stay 'self' only.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(views.SwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_update(
            {
                # The two stylesheets the bundle injects before Redoc.init hands it the nonce.
                "style-src": [NONCE, *REDOC_STYLE_HASHES],
                "img-src": ["data:"],
                # Redoc's search index runs in a worker made from a blob: URL.
                "worker-src": ["'self'", "blob:"],
            }
        )(views.RedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("redoc/redoc.standalone.js", views.redoc_script, name="api-redoc-script"),
    path("guide/", views.guide, name="api-guide"),
    path("", views.index, name="api-index"),
    re_path(r"^.*$", views.not_found),
]
