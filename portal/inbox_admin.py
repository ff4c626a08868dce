"""« Ma boîte de réception »: each user sees their own messages only; opening one marks it read."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from portal.models import InboxMessage


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "is_read")
    list_display_links = ("subject",)
    fields = ("subject", "body", "open_link", "created_at", "read_at")
    readonly_fields = fields
    search_fields = ("subject", "body")

    @admin.display(description="lu", boolean=True)
    def is_read(self, message: InboxMessage) -> bool:
        return message.read_at is not None

    @admin.display(description="lien")
    def open_link(self, message: InboxMessage) -> str:
        # Links are paths of the portal, written by the portal itself.
        if not message.link.startswith("/"):
            return "—"
        return format_html('<a href="{}">Ouvrir</a>', message.link)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    # Every signed-in staff member has an inbox, whatever their role's model permissions.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.recipient_id == request.user.pk
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A message of someone else is not in the queryset: the admin answers « not found ».
        InboxMessage.objects.filter(
            pk=object_id if str(object_id).isdigit() else None,
            recipient=request.user,
            read_at__isnull=True,
        ).update(read_at=timezone.now())
        return super().change_view(request, object_id, form_url, extra_context)
