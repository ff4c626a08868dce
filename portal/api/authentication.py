"""Who calls the API: a personal token (``Authorization: Bearer vsc_…``), or the portal's own
session (the pages of the portal calling the API, CSRF-checked), or nobody (anonymous)."""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, get_authorization_header

from portal.api_tokens import ApiToken, split_token

REALM = 'Bearer realm="api"'


class BearerTokenAuthentication:
    """``Authorization: Bearer <token>``. An unknown, malformed, expired or revoked token is
    refused (401), never treated as anonymous: the partner learns at once that it is wrong.
    Other schemes (a reverse proxy's Basic authentication) are left to the others."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization invalide : attendu « Bearer <jeton> »."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError:
            raw = ""
        prefix = split_token(raw)
        token = None
        if prefix:
            token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
        if token is None or not token.matches(raw):
            raise exceptions.AuthenticationFailed("Jeton d'API inconnu.")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                f"Ce jeton d'API a été révoqué le {timezone.localtime(token.revoked_at):%d/%m/%Y}."
            )
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                f"Ce jeton d'API a expiré le {timezone.localtime(token.expires_at):%d/%m/%Y} : "
                "créez-en un autre dans « Mes jetons d'API »."
            )
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed("Le compte titulaire de ce jeton est désactivé.")
        # For the usage log (portal.api.middleware), written once the response is known.
        request._request.api_token = token
        return token.owner, token

    def authenticate_header(self, request):
        return REALM


class PortalSessionAuthentication(SessionAuthentication):
    """The portal's session, for its own pages; CSRF-checked on writes, as DRF does."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "Vérification CSRF échouée : une requête de session doit porter le jeton CSRF "
                "du portail (les partenaires utilisent un jeton d'API)."
            ) from None
