"""The admin of announcements: read and search; drafting, approving and withdrawing go through
the desk's pages (the services), so the admin edits nothing of their state."""

from django.contrib import admin

from jinyuan.admin import ReadOnlyAdminMixin, WorkflowRecordAdminMixin

from .models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(WorkflowRecordAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "category",
        "urgent",
        "audience",
        "publish_at",
        "expires_at",
        "status",
        "addressed_count",
        "read_count",
    )
    list_filter = ("status", "category", "urgent", "audience")
    search_fields = ("title",)
    list_select_related = ("applicant",)
    date_hierarchy = "publish_at"
    readonly_fields = (
        "status",
        "applicant",
        "title",
        "text",
        "category",
        "urgent",
        "audience",
        "building",
        "publish_at",
        "expires_at",
        "published_at",
        "withdrawal_reason",
        "addressed_count",
        "read_count",
    )
    exclude = ("floors", "tenants")

    def has_add_permission(self, request):
        return False
