"""Errors of the API as RFC 9457 problem details (``application/problem+json``), in French.

Every error the API answers has the same shape::

    {"type": "https://…/api/guide/#erreur-validation", "title": "Données invalides",
     "status": 400, "detail": "…", "instance": "/api/v1/…",
     "errors": [{"field": "name", "detail": "Ce champ est obligatoire."}]}

``type`` points at the guide's paragraph on that error (``ANCHORS``); ``errors`` lists the field
errors of a validation failure. ``exception_handler`` is DRF's EXCEPTION_HANDLER; ``problem()``
builds the same response for the middlewares and views outside DRF.
"""

import json
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpResponse
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"

# status: (anchor in the guide, French title)
ANCHORS = {
    400: ("erreur-requete", "Requête invalide"),
    401: ("erreur-authentification", "Authentification requise"),
    403: ("erreur-permission", "Action non autorisée"),
    404: ("erreur-introuvable", "Ressource introuvable"),
    405: ("erreur-methode", "Méthode non autorisée"),
    406: ("erreur-format", "Format de réponse non disponible"),
    409: ("erreur-conflit", "Conflit"),
    412: ("erreur-precondition", "Précondition non remplie"),
    413: ("erreur-taille", "Requête trop volumineuse"),
    415: ("erreur-type-contenu", "Type de contenu non pris en charge"),
    428: ("erreur-precondition", "Précondition requise"),
    429: ("erreur-limite", "Trop de requêtes"),
    500: ("erreur-serveur", "Erreur du serveur"),
}
VALIDATION = ("erreur-validation", "Données invalides")
PARSE = ("erreur-syntaxe", "Corps de requête illisible")

DETAILS = {
    401: "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> ».",
    404: "Aucune ressource ne correspond à cette adresse.",
    413: "Le corps de la requête dépasse la taille autorisée.",
    500: "Une erreur est survenue de notre côté ; elle a été enregistrée.",
}


def type_url(anchor: str, request=None) -> str:
    path = f"{reverse('api-guide')}#{anchor}"
    return request.build_absolute_uri(path) if request is not None else path


def problem(
    request,
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    anchor: str | None = None,
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> HttpResponse:
    """A problem-details response. ``request`` may be a Django or a DRF request (or None)."""
    default_anchor, default_title = ANCHORS.get(status, ANCHORS[400 if status < 500 else 500])
    body = {
        "type": type_url(anchor or default_anchor, request),
        "title": title or default_title,
        "status": status,
        "detail": detail or DETAILS.get(status, title or default_title),
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def flatten_errors(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error structure as a flat list of {"field", "detail"}: ``contacts[0].email``
    for nested serializers, ``points[3]`` for an item of a list; ``field`` is null for errors
    about the whole object."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                child = field
            elif isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                # An item of a list (DRF's ListField keys its errors by index): ``points[3]``.
                child = f"{field}[{key}]" if field else f"[{key}]"
            else:
                child = f"{field}.{key}" if field else str(key)
            rows.extend(flatten_errors(value, child))
        return rows
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"field": field, "detail": str(item)} for item in detail]
        rows = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                rows.extend(flatten_errors(item, f"{field}[{index}]" if field else f"[{index}]"))
            else:
                rows.append({"field": field, "detail": str(item)})
        return rows
    return [{"field": field, "detail": str(detail)}]


def _detail_text(detail) -> str:
    if isinstance(detail, list) and detail:
        return _detail_text(detail[0])
    if isinstance(detail, dict) and detail:
        return _detail_text(next(iter(detail.values())))
    return str(detail)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error as problem details (a plain HttpResponse, so that
    the view's renderer, CSV or GeoJSON, never renders an error)."""
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(DETAILS[404])
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        set_rollback()
        return problem(request, 413)
    if not isinstance(exc, exceptions.APIException):
        return None  # Django's 500 handling: logged, and problem details from the middleware.

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    set_rollback()

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        count = len(errors)
        detail = (
            errors[0]["detail"]
            if count == 1
            else f"{count} erreurs dans les données envoyées : voir « errors »."
        )
        anchor, title = VALIDATION
        return problem(
            request, exc.status_code, detail, title=title, anchor=anchor, errors=errors,
            headers=headers,
        )  # fmt: skip
    if isinstance(exc, exceptions.ParseError):
        anchor, title = PARSE
        return problem(request, 400, _detail_text(exc.detail), title=title, anchor=anchor)
    status = exc.status_code
    if status == 401 and "WWW-Authenticate" not in headers:
        # An authentication failure answered 401 always says how to authenticate.
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem(request, status, _detail_text(exc.detail), headers=headers)
