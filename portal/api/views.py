"""The API's pages outside the resources: index, guide, Swagger UI, Redoc, and the 404 problem
detail of any other address under /api/."""

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import APIRootView, DefaultRouter

from portal.api.problems import problem


class ApiRootView(APIRootView):
    """Les ressources de l'API, version 1."""


class ApiRouter(DefaultRouter):
    APIRootView = ApiRootView


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, YAML by default, JSON with ``?format=json``."""

    def _get_filename(self, request, version):
        # An ASCII name: the title's accents would not survive the header.
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return f"openapi-volets-sante.{suffix}"


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's files, its set-up script served apart (no inline script)."""

    template_name = "api/swagger_ui.html"
    title = "Documentation interactive de l'API"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
    title = "Référence de l'API"

    @staticmethod
    def _redoc_standalone():
        return reverse("api-redoc-script")


REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
BLANK_SVG = b"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"


@functools.cache
def _redoc_bundle() -> bytes:
    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    with open(path, "rb") as bundle:
        return bundle.read().replace(REDOC_LOGO, BLANK_SVG)


@require_GET
@cache_control(public=True, max_age=86400)
def redoc_script(request):
    """The sidecar's Redoc bundle, less the one image it would fetch from Redocly's CDN."""
    response = HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response.api_compress = True  # no secret in it: portal.api.middleware may gzip it
    return response


@require_GET
def index(request):
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return JsonResponse(
        {
            "v1": url("api-root"),
            "guide": url("api-guide"),
            "documentation": url("api-docs"),
            "reference": url("api-redoc"),
            "schema": url("api-schema"),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _rate_label(rate: str) -> str:
    count, period = rate.split("/")
    unit = {"s": "seconde", "m": "minute", "h": "heure", "d": "jour"}[period[0]]
    return f"{count} requêtes par {unit}"


@require_GET
def guide(request):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    context = {
        "title": "Guide de l'API",
        "breadcrumb_data": {
            "links": [{"url": reverse("home"), "title": "Accueil"}],
            "current": "Guide de l'API",
        },
        "api_root": request.build_absolute_uri(reverse("api-root")),
        "guide_url": request.build_absolute_uri(reverse("api-guide")),
        "rates": {scope: _rate_label(rate) for scope, rate in rates.items()},
        "max_body_kb": (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) // 1024,
    }
    return render(request, "api/guide.html", context)


@csrf_exempt
def not_found(request):
    """Any other address under /api/: a 404 problem detail (an address lacking only its final
    slash is redirected to it, for reads)."""
    path = request.path_info
    if not path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(path + "/" + (f"?{query}" if query else ""))
    return problem(request, 404)
