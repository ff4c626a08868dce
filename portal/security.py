"""Who is asking: the client's address as seen through the reverse proxy."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind a reverse proxy, ``settings.CLIENT_IP_HEADER`` names the header the proxy sets. Only
    its last entry is trusted: a client may send its own X-Forwarded-For, to which the proxy
    appends the address it really sees. Without the setting, or when the header is missing or
    malformed (a request that did not come through the proxy), the socket's address is used.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        candidate = request.META.get(header, "").split(",")[-1].strip()
        if _is_ip(candidate):
            return candidate
    return request.META.get("REMOTE_ADDR")


def _is_ip(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The French page shown while a login is refused (django-axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "portal/lockout.html", context, status=429)
