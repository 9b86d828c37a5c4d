from django.contrib import admin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "due_on", "status", "channel", "result", "assigned_to", "done_at"]
    list_filter = ["status", "result", "channel", "content_type"]
    search_fields = ["comments"]
    list_select_related = ["content_type", "assigned_to"]
    date_hierarchy = "due_on"
    readonly_fields = ["content_type", "object_id", "created_by", "created_at", "done_at", "done_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
