from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail et comptes"

    def ready(self):
        from django.contrib.auth.models import Group
        from rest_framework.authtoken.models import Token

        from neighbourhoods.territory import declare
        from portal import public_cache
        from portal.models import InboxMessage, User

        # Accounts, groups and API tokens are the administrators' business (model permissions).
        for model in (User, Group, Token):
            declare(model, shared=True)
        # Each message is its recipient's only: the inbox admin filters on the signed-in user.
        declare(InboxMessage, shared=True)
        # Any change to the published apps' rows drops the cached public pages.
        public_cache.connect_signals()
