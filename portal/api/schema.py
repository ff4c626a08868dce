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
