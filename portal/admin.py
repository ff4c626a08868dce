from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "organisation", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active", "groups")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "epcis", "communes")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Rôle et territoire", {"fields": ("role", "organisation", "epcis", "communes")}),
    )
