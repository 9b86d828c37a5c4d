"""The admin of management logs: read and search; remarks and signatures go through the desk's
pages (the services), so the admin edits nothing."""

from django.contrib import admin

from jinyuan.admin import WorkflowRecordAdminMixin

from .models import ManagementLog


@admin.register(ManagementLog)
class ManagementLogAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("date", "status", "signed_by", "signed_at")
    list_filter = ("status",)
    list_select_related = ("signed_by",)
    date_hierarchy = "date"
    readonly_fields = (
        "date",
        "status",
        "applicant",
        "building_remarks",
        "manager_opinion",
        "content",
        "signed_by",
        "signed_at",
        "document",
    )

    def has_add_permission(self, request):
        return False
