from django.contrib import admin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Read-only: follow-ups are scheduled and recorded through the services (audit events,
    the dissatisfied hook), never by editing a row."""

    list_display = ["__str__", "content_type", "due_on", "status", "channel", "result", "assigned_to", "done_at"]
    list_filter = ["status", "result", "channel", "content_type"]
    search_fields = ["comments"]
    list_select_related = ["content_type", "assigned_to"]
    date_hierarchy = "due_on"
    readonly_fields = [f.name for f in FollowUp._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
