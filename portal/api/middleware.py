"""What every API response goes through, besides DRF.

``ApiMiddleware`` (after django-cors-headers' in settings.MIDDLEWARE, so that its 304 still
carries the CORS headers):

* refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with a 413 problem before anything
  reads it (DRF's parsers read the stream directly and would not enforce the limit);
* logs each request a token authenticated (one ``ApiTokenUse`` insert, and the token's
  ``last_used_at`` at most once a minute);
* gives GET responses under /api/ an ETag (from their body) and answers 304 to a matching
  ``If-None-Match``;
* gzips the data formats under /api/ and GeoJSON anywhere, never HTML pages nor scripts
  (BREACH: a compressed page that holds a CSRF token and reflects user input leaks the token);
* answers an unhandled error under /api/ with a 500 problem detail (still logged), and turns
  the HTML errors of the views outside DRF (the docs pages' 405, a CSRF refusal) into problem
  details too.
"""

import datetime
import logging

from django.conf import settings
from django.core.signals import got_request_exception
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from portal.api.problems import problem
from portal.api_tokens import ApiToken, ApiTokenUse

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
# Compressed anywhere: data with no secret in it (GeoJSON layers of the public maps).
COMPRESSED_TYPES = ("application/geo+json",)
# Compressed under /api/: the data formats. Not HTML nor the Swagger UI's set-up script, which
# hold a CSRF token next to reflected query parameters.
API_COMPRESSED_TYPES = (
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "text/csv",
)


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        api = is_api(request)
        if api:
            too_big = self._too_big(request)
            if too_big is not None:
                return too_big
        response = self.get_response(request)
        if api:
            response = self._api_response(request, response)
        if self._compressible(request, response, api):
            response = self.gzip.process_response(request, response)
        return response

    def _too_big(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(request, 400, "En-tête Content-Length invalide.")
        if limit is not None and length > limit:
            return problem(
                request,
                413,
                f"Le corps de la requête dépasse la taille autorisée ({limit} octets).",
            )
        return None

    def _api_response(self, request, response):
        if response.status_code >= 400 and not self._is_data(response):
            # An error from outside DRF (a docs page's 405, a CSRF refusal, Django's 404…).
            carried = {name: response[name] for name in ("Allow",) if response.has_header(name)}
            response = problem(request, response.status_code, headers=carried)
        patch_vary_headers(response, ("Authorization",))
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        ):
            if not response.has_header("ETag"):
                set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        token = getattr(request, "api_token", None)
        if isinstance(token, ApiToken):
            self._log_use(request, response, token)
        return response

    @staticmethod
    def _is_data(response) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        return content_type.startswith("application/") or content_type == "text/csv"

    def _log_use(self, request, response, token: ApiToken):
        now = timezone.now()
        ApiTokenUse.objects.create(
            token=token,
            at=now,
            method=request.method[:10],
            path=request.path[:500],
            status=response.status_code,
        )
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

    def _compressible(self, request, response, api: bool) -> bool:
        # Django's GZipMiddleware only looks for "gzip" in Accept-Encoding: "gzip;q=0" (gzip
        # refused) would still get a gzipped body.
        from neighbourhoods.views import accepts_gzip

        if not accepts_gzip(request):
            return False
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type in COMPRESSED_TYPES or getattr(response, "api_compress", False):
            return True
        return api and content_type in API_COMPRESSED_TYPES

    def process_exception(self, request, exception):
        if not is_api(request) or settings.DEBUG:
            return None
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        # As Django's own handling does: the test client re-raises the exception.
        got_request_exception.send(sender=self.__class__, request=request)
        return problem(request, 500)
