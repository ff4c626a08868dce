"""Whole-page cache of the public pages, for anonymous visitors only.

A public page shows published data to everyone alike, so the response rendered for one anonymous
visitor can serve the next ones. Entries are keyed by the page's address (path and query, its
parameters sorted), the *data version* and the *release*:

* the data version changes (``bump()``) whenever a row of the apps that public pages show
  (neighbourhoods, devices, contracts) is saved or deleted or a many-to-many link of theirs
  changes, and when an importer's bulk path calls ``bump()`` itself (bulk operations send no
  signal): every page cached before is then dead at once, whatever it shows;
* the release is a fingerprint of the templates, the project's code, the collected static files
  and the settings the pages print: a deployment never serves pages of the previous one.

The Content-Security-Policy nonce is per response: the cached HTML keeps a placeholder where the
rendering request's nonce was, and each request that is served from the cache gets its own
nonce there, the one the CSP middleware writes in that response's header.

Only plain 200 responses are kept: nothing with a cookie to set (session, CSRF token), with
messages, with ``Cache-Control: private``/``no-store`` or ``Vary: *``, and no streamed export.
Responses carry a weak ETag (data version + address): a revalidation answers 304 with no body.
"""

import functools
import hashlib
import os
import threading
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.template.response import SimpleTemplateResponse
from django.utils.cache import cc_delim_re, parse_etags, patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

# The apps whose rows the public pages show.
WATCHED_APPS = ("neighbourhoods", "devices", "contracts")
VERSION_KEY = "public-pages:data-version"
PAGE_KEY = "public-pages:{release}:{version}:{address}"
# Dead versions' pages go away by themselves; also bounds the life of anything a change made
# outside the ORM's signals (raw SQL, a bulk path that forgot bump()) left stale.
TIMEOUT = 60 * 60
# PostgreSQL refuses NUL in text: no page content can contain this.
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
# Longer query strings are garbage or attacks: served, never cached.
MAX_QUERY_STRING = 2048
# Response headers the cache recomputes for each request rather than replaying.
_NOT_REPLAYED = {"vary", "etag", "content-length", "set-cookie", "x-public-cache"}

_local = threading.local()


def data_version() -> str:
    """The current data version (created at first use, or again if the cache lost it: a new
    version only makes every cached page miss once)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    _local.version_read = True
    return version


def bump() -> None:
    """Drops every cached public page. Importers call it after their bulk writes."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _local.version_read = False


def _data_changed(using: str) -> None:
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump()
        return
    # Other connections see the change when it commits: bump then (once per transaction), or a
    # page rendered from the old rows between this bump and the commit would survive.
    if not any(callback is bump for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(bump, using=using)
    # This connection sees it already (a test, or a page rendered after a write in the same
    # request): pages it read the version for are stale now.
    if getattr(_local, "version_read", False):
        bump()


def _on_save_or_delete(sender, using, **kwargs):
    _data_changed(using)


def _on_m2m_changed(sender, action, using, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and (
        sender._meta.app_label in WATCHED_APPS
    ):
        _data_changed(using)


def watched_models() -> list:
    """The models of the public apps, without their history tables (django-simple-history's
    rows are written with the rows they record, which bump already, and are never public)."""
    return [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if not hasattr(model, "instance_type")
    ]


def connect_signals() -> None:
    """Called once the apps are loaded (``PortalConfig.ready``), in every process: the web
    server, the admin, the importers' commands, the shell."""
    # Per model, not for every sender: a post_delete receiver disables Django's fast deletes of
    # the models it listens to, which other apps' bulk deletions (sessions, logs) keep.
    for model in watched_models():
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="public-cache-m2m")


@functools.cache
def release() -> str:
    """Fingerprint of what renders the pages besides the data (computed once per process)."""
    digest = hashlib.sha256()
    base = settings.BASE_DIR
    roots = [base / "templates", *(base / label for label in ("portal", *WATCHED_APPS))]
    for root in roots:
        for directory, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if name.endswith((".py", ".html", ".txt", ".json")):
                    stat = os.stat(os.path.join(directory, name))
                    digest.update(f"{directory}/{name}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    manifest = os.path.join(settings.STATIC_ROOT, "staticfiles.json")
    if os.path.exists(manifest):
        digest.update(str(os.stat(manifest).st_mtime_ns).encode())
    for name in ("DEBUG", "MAP_TILES_URL", "MAP_TILES_ATTRIBUTION", "STATIC_URL", "LANGUAGE_CODE"):
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()[:16]


def _address(request) -> str:
    query = urlencode(sorted(request.GET.lists(), key=lambda item: item[0]), doseq=True)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or len(storage) > 0)


def _may_use_cache(request) -> bool:
    if not getattr(settings, "PUBLIC_PAGE_CACHE", True):
        return False
    if request.method not in {"GET", "HEAD"} or len(request.META.get("QUERY_STRING", "")) > (
        MAX_QUERY_STRING
    ):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    return not _has_messages(request)


def _may_store(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if _has_messages(request):
        return False
    control = {
        part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return False
    return "*" not in _vary_names(response)


def _vary_names(response) -> list[str]:
    names = [name.strip().lower() for name in cc_delim_re.split(response.get("Vary", ""))]
    # Cookie: only anonymous visitors are served, and none of their cookies changes the page.
    return sorted(name for name in names if name and name != "cookie")


def _vary_values(request, names) -> dict[str, str]:
    return {name: request.headers.get(name, "") for name in names}


def _etag(key: str, vary: dict) -> str:
    digest = hashlib.sha256(f"{key}|{sorted(vary.items())}".encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def _matches(request, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or any(tag.removeprefix("W/") == etag.removeprefix("W/") for tag in wanted)


def _finish(request, response, etag: str, state: str):
    response["ETag"] = etag
    response["X-Public-Cache"] = state
    # Browsers and proxies keep the page but ask each time (a 304 is cheap); signed-in
    # visitors send another cookie and get their own page.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    if _matches(request, etag):
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary", "X-Public-Cache"):
            not_modified[name] = response[name]
        # No policy header: the browser keeps the one stored with the body, whose nonce the
        # body carries (a fresh nonce here would replace it and block the page's scripts).
        not_modified._csp_exempt = True
        return not_modified
    return response


def _entry(request, response) -> dict:
    content = response.content
    nonce = getattr(request, "csp_nonce", None)
    # CheckableLazyObject: true only once the page used it (django-csp then puts it in the header).
    if nonce:
        content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
    vary = _vary_names(response)
    return {
        "content": content,
        "headers": [
            (name, value) for name, value in response.items() if name.lower() not in _NOT_REPLAYED
        ],
        "vary": _vary_values(request, vary),
    }


def _replay(request, entry: dict):
    content = entry["content"]
    if NONCE_PLACEHOLDER in content:
        content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def public_page(view):
    """Caches the view's page for anonymous visitors (see the module's docstring). Put it above
    the view's other decorators."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(release=release(), version=data_version(), address=_address(request))
        entry = cache.get(key)
        if entry is not None and entry["vary"] == _vary_values(request, entry["vary"]):
            return _finish(request, _replay(request, entry), _etag(key, entry["vary"]), "hit")
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        if not _may_store(request, response):
            return response
        entry = _entry(request, response)
        cache.set(key, entry, timeout=TIMEOUT)
        return _finish(request, response, _etag(key, entry["vary"]), "miss")

    return wrapper
