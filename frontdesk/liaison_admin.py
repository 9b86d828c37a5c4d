"""The supervisors' admin of tenant liaison and emergency records: visit plans are kept here;
visits, follow-up items and emergencies are read and searched (their changes go through the
desk's pages, the services)."""

from django.contrib import admin

from jinyuan.admin import AuditedAdminMixin, WorkflowRecordAdminMixin

from .action_services import staff_users
from .models import ActionItem, Emergency, Visit, VisitPlan


@admin.register(VisitPlan)
class VisitPlanAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "visit_plan"
    list_display = ("name", "period_months", "building", "clerk", "starts_on", "is_active")
    list_filter = ("is_active", "building")
    search_fields = ("name",)
    list_select_related = ("building", "clerk")

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clerk":
            kwargs["queryset"] = staff_users().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyRecordAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyRecordAdmin):
    list_display = ("visited_at", "tenant", "channel", "met_name", "impression", "status")
    list_filter = ("status", "channel", "impression")
    search_fields = ("tenant__name", "topics", "met_name")
    list_select_related = ("tenant",)
    date_hierarchy = "visited_at"


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyRecordAdmin):
    list_display = ("text", "owner", "due_at", "status", "closed_at")
    list_filter = ("status",)
    search_fields = ("text", "outcome")
    list_select_related = ("owner",)
    date_hierarchy = "due_at"


@admin.register(Emergency)
class EmergencyAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "occurred_at", "kind", "building", "place", "status")
    list_filter = ("status", "kind", "building")
    search_fields = ("number", "place", "description")
    list_select_related = ("building",)
    date_hierarchy = "occurred_at"
