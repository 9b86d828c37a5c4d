"""The admin of public-space applications and events: read and search; every change goes
through the desk's pages (the services), so the admin edits nothing of their state."""

from django.contrib import admin

from jinyuan.admin import WorkflowInlineMixin, WorkflowRecordAdminMixin

from .models import ApplicationItem, SiteCheck, VenueApplication


class ItemInline(WorkflowInlineMixin, admin.TabularInline):
    model = ApplicationItem
    extra = 0
    can_delete = False
    fields = ("fee_item", "quantity", "days", "unit_price")
    readonly_fields = fields


class CheckInline(WorkflowInlineMixin, admin.TabularInline):
    model = SiteCheck
    extra = 0
    can_delete = False
    fields = ("kind", "at", "by", "in_order", "note", "damage")
    readonly_fields = fields


@admin.register(VenueApplication)
class VenueApplicationAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "kind", "title", "tenant", "customer", "use_start", "use_end", "status", "fee", "deposit")
    list_filter = ("kind", "status", "needs_security")
    search_fields = ("number", "title", "organiser", "tenant__name", "customer__name")
    list_select_related = ("tenant", "customer")
    date_hierarchy = "use_start"
    inlines = (ItemInline, CheckInline)
    readonly_fields = (
        "number",
        "kind",
        "status",
        "tenant",
        "customer",
        "applicant",
        "use_start",
        "use_end",
        "needs_security",
        "fee",
        "deposit",
        "damage",
        "document",
        "closed_at",
        "refusal_reason",
    )
    exclude = ("code",)

    def has_add_permission(self, request):
        return False
