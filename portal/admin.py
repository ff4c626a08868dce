from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from dsfr.models import DsfrConfig

from portal.api_token_admin import ApiTokenAdmin  # noqa: F401  (registers the API tokens)
from portal.inbox_admin import InboxMessageAdmin  # noqa: F401  (registers the inbox)
from portal.models import User

# django-dsfr offers a site-settings model edited in the admin; the portal's header, footer and
# notices live in its own templates (templates/public/), so that page would change nothing.
admin.site.unregister(DsfrConfig)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "organisation", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active", "groups")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "epcis", "communes", "region", "departments")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Rôle et territoire", {"fields": ("role", "organisation", "epcis", "communes")}),
        ("Relecture ARS", {"fields": ("region", "departments")}),
    )
