from django.contrib import admin

from .models import RepairCategory, RepairTicket


@admin.register(RepairCategory)
class RepairCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "response_minutes", "completion_hours", "emergency", "paid", "dispatch", "active"]
    list_filter = ["active", "paid", "emergency", "dispatch"]
    search_fields = ["name"]


@admin.register(RepairTicket)
class RepairTicketAdmin(admin.ModelAdmin):
    """Read only: tickets change state through their services (the audit trail)."""

    list_display = ["number", "status", "category", "tenant", "place", "assignee", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["number", "reporter_name", "phone"]
    list_select_related = ["category", "tenant", "assignee"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
