from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail et comptes"

    def ready(self):
        from django.contrib.auth.models import Group

        from neighbourhoods.territory import declare
        from portal.models import User

        # Accounts and groups are the administrators' business (model permissions).
        for model in (User, Group):
            declare(model, shared=True)
