"""What drf-spectacular needs to describe the API's own machinery (imported by portal.api.urls)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.api.authentication.BearerTokenAuthentication"
    name = "jetonApi"
    priority = 1

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
