"""Strict readers of the environment: a malformed value fails at start, loudly."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of true/false, 1/0, yes/no, on/off.")


def envstr(name: str, default: str | None = None) -> str:
    """A string; a blank value (``CACHE_DIR=`` in an environment file) takes the default."""
    value = os.environ.get(name, "").strip() or default
    if value is None or value == "":
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer ≥ {minimum}.")
    return value


def envoptional(name: str) -> str | None:
    """An optional value: None when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


def envhttpheader(name: str) -> str | None:
    """An HTTP header name (``X-Forwarded-Proto``) as Django's ``request.META`` key."""
    raw = envoptional(name)
    if raw is None:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", raw):
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an HTTP header name, e.g. X-Real-IP.")
    return "HTTP_" + raw.upper().replace("-", "_")
