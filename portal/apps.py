from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail et comptes"

    def ready(self):
        from django.contrib.auth.models import Group

        from neighbourhoods.territory import declare
        from portal import public_cache, search
        from portal.models import ApiToken, ApiTokenUse, InboxMessage, User

        # Accounts, groups and API tokens are the administrators' business (model permissions);
        # each user manages their own tokens in « Mes jetons d'API ».
        for model in (User, Group, ApiToken, ApiTokenUse):
            declare(model, shared=True)
        # Each message is its recipient's only: the inbox admin filters on the signed-in user.
        declare(InboxMessage, shared=True)
        # The OpenAPI description of the API's authentication.
        import portal.api.schema  # noqa: F401

        # Any change to the published apps' rows drops the cached public pages.
        public_cache.connect_signals()
        # Accent-insensitive search on SQLite needs its folding function on each connection.
        connection_created.connect(search.register_sqlite_fold)
