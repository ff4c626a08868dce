"""What drf-spectacular needs to describe the API's own machinery (imported by portal.api.urls)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.api.authentication.BearerTokenAuthentication"
    name = "jetonApi"
    priority = 1

    def get_security_requirement(self, auto_schema):
        """Reads are open to anonymous clients (the empty requirement); writes need a token."""
        view = auto_schema.view
        reads = auto_schema.method in ("GET", "HEAD", "OPTIONS") or (
            auto_schema.method == "POST"
            and getattr(view, "action", None) in getattr(view, "read_only_post_actions", ())
        )
        return [{self.name: []}, {}] if reads else {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Jeton personnel créé dans « Mes jetons d'API » (/compte/jetons/), envoyé dans "
                "l'en-tête « Authorization: Bearer vsc_… ». Facultatif pour lire les données "
                "publiées ; obligatoire pour écrire."
            ),
        }


def servers_hook(result, generator, request, public):
    """The schema names the server it was asked from (so that Swagger UI's « Try it out » calls
    this host, staging or production); generated offline (manage.py spectacular), the portal's
    public address (PORTAL_BASE_URL)."""
    from django.conf import settings

    if request is not None:
        url = request.build_absolute_uri("/").rstrip("/")
        result["servers"] = [{"url": url, "description": "Ce portail"}]
    else:
        result["servers"] = [{"url": settings.PORTAL_BASE_URL, "description": "Portail"}]
    return result


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Erreur au format RFC 9457 (application/problem+json), en français.",
    "properties": {
        "type": {"type": "string", "description": "Adresse du paragraphe du guide sur l'erreur."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Erreurs par champ (field : null pour l'objet entier).",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "detail": {"type": "string"},
                },
                "required": ["field", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_DESCRIPTIONS = {
    400: "Requête invalide (paramètre, filtre, pagination ou données) : détail par champ.",
    401: "Jeton absent, inconnu, expiré ou révoqué.",
    403: "Action non autorisée : jeton en lecture seule, rôle ou territoire.",
    404: "Aucune ressource ne correspond à cette adresse.",
    429: "Trop de requêtes : réessayez après le délai de l'en-tête Retry-After.",
}
WRITE_METHODS = ("post", "put", "patch", "delete")


def problems_hook(result, generator, request, public):
    """Every operation documents the errors it may answer, as problem details: 400 when it
    takes parameters or a body, 401 (a bad token is refused, even to read), 403 for writes, 404
    when its path names a resource, 429 always. Responses a view documented keep their
    description and get the problem body."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Probleme"] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Probleme"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "head", *WRITE_METHODS):
                continue
            codes = {401, 429}
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add(400)
            if method in WRITE_METHODS:
                codes.add(403)
            if "{" in path:
                codes.add(404)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), {"description": PROBLEM_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith(("4", "5")) and not response.get("content"):
                    response["content"] = content
    return result
