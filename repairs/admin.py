from django.contrib import admin

from jinyuan.admin import WorkflowRecordAdminMixin

from .models import RepairCategory, RepairTicket


@admin.register(RepairCategory)
class RepairCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "response_minutes", "completion_hours", "emergency", "paid", "dispatch", "active"]
    list_filter = ["active", "paid", "emergency", "dispatch"]
    search_fields = ["name"]


@admin.register(RepairTicket)
class RepairTicketAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Tickets change state through their services; here protected fields are read-only and
    every save is audited."""

    list_display = ["number", "status", "category", "tenant", "place", "assignee", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["number", "reporter_name", "phone"]
    list_select_related = ["category", "tenant", "assignee"]

    def has_add_permission(self, request) -> bool:
        return False
