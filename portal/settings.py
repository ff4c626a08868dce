"""Settings of the portal, read from the environment (see .env.example)."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.env import envbool, envhttpheader, envint, envlist, envoptional, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = envstr("SECRET_KEY", default="insecure-development-key-never-in-production")
else:
    try:
        SECRET_KEY = envstr("SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=… or DEBUG=true)."
        ) from exc

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", default="localhost,127.0.0.1" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    # Otherwise every request would be answered 400 with nothing in the logs to say why.
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, whose index is each role's home (portal/admin_site.py).
    "portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    # The French State design system (DSFR): templates, tags and its static files, served locally.
    "dsfr",
    "corsheaders",
    "rest_framework",
    "rest_framework_gis",
    # DRF's authtoken is replaced by the portal's own tokens (portal/api_tokens.py): its tables,
    # if a database still has them, are left alone and unused.
    "django_filters",
    "drf_spectacular",
    # Swagger UI and Redoc served from local static files, never from a CDN.
    "drf_spectacular_sidecar",
    "leaflet",
    "csp",
    "axes",
    "simple_history",
    "neighbourhoods",
    "devices",
    "contracts",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for partners' browser clients, on /api/ only (CORS_URLS_REGEX); before anything that
    # may answer, and before the API's middleware so that its 304 responses carry the headers.
    "corsheaders.middleware.CorsMiddleware",
    # The API's body limit (413), token usage log, ETag/304 and gzip (portal/api/middleware.py).
    "portal.api.middleware.ApiMiddleware",
    # Serves collected static files (hashed names, compressed, cached for a year) before any
    # other middleware runs: no separate static server is needed behind the reverse proxy.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history tables (issue 8, « Historique »).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.public",
            ],
        },
    },
]

# Embedded default: a SpatiaLite file inside the project (git-ignored). Production: postgis://…
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", default=f"spatialite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0, minimum=0),
        # A kept connection is tested before each request reuses it, so a restarted or failed-over
        # database costs one reconnection instead of one error page.
        conn_health_checks=envbool("CONN_HEALTH_CHECKS", default=True),
    )
}
_ENGINE = DATABASES["default"]["ENGINE"]
if _ENGINE not in {
    "django.contrib.gis.db.backends.postgis",
    "django.contrib.gis.db.backends.spatialite",
}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must use spatialite:/// or postgis:// (got engine {_ENGINE})."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "admin:login"

# django-axes refuses a login once a username has failed too often from one address, before the
# password is even checked, until the cool-off has passed. Its backend comes first and needs the
# request: authenticate(request, username=…, password=…).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# Attempts are kept in the database, shared by every application server; administrators lift a
# lockout with `manage.py axes_reset_username NAME` (README, « Locked accounts »).
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy every request comes from the proxy's address: the client's address is
# read from the header the proxy sets (X-Real-IP, or the last entry of X-Forwarded-For).
CLIENT_IP_HEADER = envhttpheader("CLIENT_IP_HEADER")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = envstr("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `manage.py collectstatic` writes hashed, compressed copies that WhiteNoise serves with
    # far-future cache headers; with DEBUG on, files are served unhashed from their folders.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. TLS ends at the reverse proxy, which tells Django the original scheme in a header it
# sets itself (PROXY_SSL_HEADER, e.g. X-Forwarded-Proto); without it every request looks like
# plain HTTP and the redirection below would loop.
_PROXY_SSL_HEADER = envhttpheader("PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes the application servers directly, in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Headers sent with every page.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The portal uses none of these browser features: no page may ask for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Background map tiles: none unless configured (maps then show their contours on a blank
# background and the portal calls no third party). Production: IGN's Plan (Géoplateforme WMTS)
# or OpenStreetMap, over HTTPS, with the attribution their licences require.
MAP_TILES_URL = envoptional("MAP_TILES_URL")
MAP_TILES_ATTRIBUTION = envoptional("MAP_TILES_ATTRIBUTION")
# An address geocoder for the « is this place in a priority neighbourhood? » page, BAN-compatible
# (https://api-adresse.data.gouv.fr/search/). Unset: no address field and no third-party call.
GEOCODER_URL = envoptional("GEOCODER_URL")
MAP_TILES_ORIGIN = None
if MAP_TILES_URL:
    _tiles = urlsplit(MAP_TILES_URL)
    if _tiles.scheme != "https" or not _tiles.netloc:
        raise ImproperlyConfigured(
            f"MAP_TILES_URL={MAP_TILES_URL!r}: expected an https:// URL (a page served over "
            "HTTPS cannot load plain-HTTP tiles)."
        )
    if not all(part in MAP_TILES_URL for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(
            f"MAP_TILES_URL={MAP_TILES_URL!r}: expected the {{z}}, {{x}} and {{y}} placeholders."
        )
    if not MAP_TILES_ATTRIBUTION:
        raise ImproperlyConfigured(
            "MAP_TILES_ATTRIBUTION is required with MAP_TILES_URL (the tiles' licence asks for it)."
        )
    MAP_TILES_ORIGIN = f"https://{_tiles.netloc}"

# Content-Security-Policy: scripts and styles from the portal only; the few inline scripts
# (django-leaflet's map set-up) carry the per-request nonce. Images may also come from the tile
# server, and as data: URIs (the DSFR's logo and icons are SVG data URIs in its CSS; an image
# cannot run script). django-csp 4 API.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Where browsers report what the policy blocked (a collector such as Sentry's): a template that
# gains an inline script or style breaks silently otherwise.
# (Not a CSP_… setting: django-csp 4 takes any of those for its old API and refuses to start.)
_CSP_REPORT_URI = envoptional("CSP_REPORT_URI")
if _CSP_REPORT_URI:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_CSP_REPORT_URI]

# Debian 12 ships GDAL 3.6: Django warns (gis.W001) that GDAL < 3.9 cannot block file and
# network access from a malicious spatial reference. The portal never hands GDAL a spatial
# reference taken from user input: importers match a declared CRS against a short list of
# known EPSG codes (neighbourhoods.geo.KNOWN_CRS) and build the SpatialReference from the code.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LEAFLET_CONFIG = {
    "TILES": (
        [
            (
                "Plan",
                MAP_TILES_URL,
                # OpenStreetMap's tile policy asks for the site's origin as referrer; the pages
                # themselves send no referrer to other sites (SECURE_REFERRER_POLICY).
                {"attribution": MAP_TILES_ATTRIBUTION, "referrerPolicy": "strict-origin"},
            )
        ]
        if MAP_TILES_URL
        else []
    ),
    "DEFAULT_CENTER": (50.3, 2.8),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
}

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _api_rate(name: str, default: str) -> str:
    rate = envstr(name, default=default)
    if not _RATE.match(rate):
        raise ImproperlyConfigured(
            f"{name}={rate!r}: expected a rate such as 60/minute or 5/second."
        )
    return rate


# The partner API (issue 10). Errors are RFC 9457 problem details (portal/api/problems.py); rates
# are documented in the guide (/api/guide/#limites).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its challenge (WWW-Authenticate: Bearer) makes refusals 401, not 403.
        "portal.api.authentication.BearerTokenAuthentication",
        "portal.api.authentication.PortalSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.PublicReadTokenWrite"],
    # JSON by default; resources add their own formats (GeoJSON, CSV, XLSX). DRF's browsable
    # API is left out: its inline scripts break the strict CSP (Swagger UI replaces it).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Cursor pages (stable under concurrent writes), 100 rows by default, 1 to 1,000.
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.CodeCursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonymousThrottle",
        "portal.api.throttling.TokenThrottle",
        "portal.api.throttling.WriteBurstThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _api_rate("API_RATE_ANON", "60/minute"),
        "token": _api_rate("API_RATE_TOKEN", "600/minute"),
        "write": _api_rate("API_RATE_WRITE", "30/minute"),
    },
    "URL_FORMAT_OVERRIDE": "format",
}

# Browser clients of partners: the origins allowed to call /api/ (none unless configured, e.g.
# CORS_ALLOWED_ORIGINS=https://observatoire.example.fr). Tokens travel in the Authorization
# header, never in cookies: no credentials are allowed.
CORS_ALLOWED_ORIGINS = envlist("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400

# Email: the review's notifications (each one is also kept in the recipient's inbox). With no
# EMAIL_HOST the messages are written to the console (development); with one, sent over SMTP.
EMAIL_HOST = envoptional("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = envoptional("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = envoptional("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other.")
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", default=10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", default="volet-sante@localhost")
# The portal's public address, put before the links of the emails (no trailing slash).
PORTAL_BASE_URL = (envoptional("PORTAL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
if not PORTAL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PORTAL_BASE_URL={PORTAL_BASE_URL!r}: expected an http(s):// URL.")

# The API's OpenAPI schema and its docs (/api/schema/, /api/docs/, /api/redoc/), in French.
SPECTACULAR_SETTINGS = {
    "TITLE": "API des volets santé des contrats de ville",
    "DESCRIPTION": (
        "API ouverte des volets santé des contrats de ville : territoires (régions, départements, "
        "EPCI, communes, quartiers prioritaires), contrats de ville et leurs volets santé "
        "approuvés, dispositifs (CLS, ASV, CLSM, adultes-relais…), structures de santé, "
        "organisations et appels à projets publiés.\n\n"
        "Lecture libre et anonyme des données publiées ; écriture réservée aux jetons « Lecture "
        "et écriture » des coordinateur·rices, dans leur territoire. Mode d'emploi : "
        "[guide de l'API](/api/guide/). Données sous Licence Ouverte 2.0 (Etalab)."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {"name": "Équipe du portail des volets santé", "email": DEFAULT_FROM_EMAIL},
    "LICENSE": {
        "name": "Licence Ouverte 2.0 (Etalab)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    # The server is the host the schema was asked from (portal/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.servers_hook",
        # Errors documented on every operation, as problem details (portal/api/schema.py).
        "portal.api.schema.problems_hook",
    ],
    "TAGS": [
        {"name": "Territoires", "description": "Régions, départements, EPCI et communes."},
        {"name": "Quartiers", "description": "Quartiers prioritaires (QPV), 2015 et 2024."},
        {"name": "Contrats", "description": "Contrats de ville et volets santé approuvés."},
        {"name": "Dispositifs", "description": "Dispositifs de santé et leurs financements."},
        {"name": "Structures", "description": "Structures de santé et organisations."},
        {"name": "Appels à projets", "description": "Appels à projets publiés."},
        {"name": "Suivi des modifications", "description": "Flux des changements et suppressions."},
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI and Redoc from the sidecar's local files: nothing from a CDN (strict CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    # Partners authenticate with tokens only (portal/api/schema.py describes the scheme); the
    # portal's session is for its own pages.
    "AUTHENTICATION_WHITELIST": ["portal.api.authentication.BearerTokenAuthentication"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several resources (« kind » names four of them).
    "ENUM_NAME_OVERRIDES": {
        "SchemeKindEnum": "devices.enums.SchemeKind",
        "OrganisationKindEnum": "devices.enums.OrganisationKind",
        "SchemeLinkKindEnum": "devices.enums.SchemeLinkKind",
        "ParticipationLevelEnum": "devices.enums.ParticipationLevel",
        "SchemeStatusEnum": "devices.enums.SchemeStatus",
        "ActionStatusEnum": "contracts.enums.ActionStatus",
        "ValueStatusEnum": "neighbourhoods.enums.ValueStatus",
    },
}

# The cache holds the map layers built for the web (neighbourhoods.geojson) and DRF's throttling
# counters. One machine: a file cache shared by the web server and the import commands, so that
# an import drops the layers the server built (contours_cache_clear). Several application
# servers: one Redis for all of them (CACHE_URL=redis://…), or each would keep its own copy.
_CACHE_URL = envoptional("CACHE_URL")
if _CACHE_URL:
    if urlsplit(_CACHE_URL).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(
            f"CACHE_URL={_CACHE_URL!r}: expected redis://host:6379/0 or rediss://… (or unset "
            "for the file cache in CACHE_DIR)."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "TIMEOUT": None,
            "KEY_PREFIX": "volet-sante",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": envstr("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": None,
        }
    }

# The nightly open-data zip (manage.py export_open_data), served at /donnees/export.zip.
OPEN_DATA_DIR = Path(envstr("OPEN_DATA_DIR", default=str(BASE_DIR / "var" / "open-data")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", default="INFO")},
    "loggers": {
        # GEOS notices (« Ring Self-intersection… ») duplicate what importers report themselves.
        "django.contrib.gis": {"level": "ERROR"},
        # « AXES: BEGIN version… » at every start of every command says nothing useful.
        "axes.apps": {"level": "WARNING"},
    },
}
