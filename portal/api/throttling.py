"""Request rates of the API (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from the
environment: API_RATE_ANON, API_RATE_TOKEN, API_RATE_WRITE).

* ``anon``: anonymous clients, per IP address (the one the reverse proxy saw);
* ``token``: authenticated clients, per token (per account for the portal's session);
* ``write``: a stricter burst for writes (POST, PUT, PATCH, DELETE), per token.

A client over its rate gets 429 with ``Retry-After`` (seconds) and a French problem detail.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from portal.security import client_ip


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        # Read at each request, not at import: settings overridden in tests apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def __init__(self):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def caller(self, request) -> str:
        token = getattr(request, "auth", None)
        prefix = getattr(token, "prefix", None)
        return f"token-{prefix}" if prefix else f"user-{request.user.pk}"


class AnonymousThrottle(_Throttle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}


class TokenThrottle(_Throttle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.caller(request)}


class WriteBurstThrottle(_Throttle):
    scope = "write"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS or not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.caller(request)}
