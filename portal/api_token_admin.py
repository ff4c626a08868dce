"""API tokens and their usage log in the admin: administrators see every token and every use,
read-only (nobody's secret is ever shown: the portal does not have it), and may revoke."""

from django.contrib import admin, messages
from django.utils import timezone

from portal.api_tokens import ApiToken, ApiTokenUse, token_revoke


class _ReadOnlyForAdministrators(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(_ReadOnlyForAdministrators):
    list_display = (
        "name",
        "owner",
        "display_prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "state_label",
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("owner",)
    search_fields = ("name", "prefix", "owner__username", "owner__email")
    date_hierarchy = "created_at"
    fields = (
        "name",
        "owner",
        "display_prefix",
        "scope",
        "epcis",
        "communes",
        "departments",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="préfixe")
    def display_prefix(self, token: ApiToken) -> str:
        return token.display_prefix

    @admin.display(description="état")
    def state_label(self, token: ApiToken) -> str:
        return token.state()

    def has_revoke_permission(self, request):
        return self.has_module_permission(request)

    @admin.action(description="Révoquer les jetons sélectionnés", permissions=["revoke"])
    def revoke(self, request, queryset):
        now = timezone.now()
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, now=now)
            count += 1
        self.message_user(request, f"{count} jeton(s) révoqué(s).", messages.SUCCESS)


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(_ReadOnlyForAdministrators):
    list_display = ("at", "token", "owner", "method", "path", "status")
    list_filter = ("method", "status")
    list_select_related = ("token__owner",)
    search_fields = ("path", "token__prefix", "token__name", "token__owner__username")
    date_hierarchy = "at"
    fields = ("token", "at", "method", "path", "status")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="titulaire")
    def owner(self, use: ApiTokenUse):
        return use.token.owner
