from django.contrib import admin

from jinyuan.admin import WorkflowRecordAdminMixin

from .models import RepairCategory, RepairQuote, RepairQuoteLine, RepairQuoteMaterial, RepairRating, RepairTicket


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


# --- paid repairs: quotes (repairs.quotes) -------------------------------------------------------


class RepairQuoteLineInline(admin.TabularInline):
    model = RepairQuoteLine
    extra = 0
    can_delete = False
    readonly_fields = ("fee_item", "quantity", "unit_price", "reason", "amount")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RepairQuoteMaterialInline(admin.TabularInline):
    model = RepairQuoteMaterial
    extra = 0
    can_delete = False
    readonly_fields = ("description", "quantity", "unit_price", "amount")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RepairQuote)
class RepairQuoteAdmin(admin.ModelAdmin):
    """Quotes are proposed and answered through repairs.quotes; read here."""

    list_display = ["ticket", "status", "total", "quoted_on", "proposed_by", "decided_via", "bill"]
    list_filter = ["status", "decided_via"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket", "proposed_by", "bill"]
    readonly_fields = [f.name for f in RepairQuote._meta.fields]
    inlines = [RepairQuoteLineInline, RepairQuoteMaterialInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- feedback part ---------------------------------------------------------------------------------


@admin.register(RepairRating)
class RepairRatingAdmin(admin.ModelAdmin):
    """The tenants' ratings, read only: they are the tenant's word, written by the sign-off."""

    list_display = ["ticket", "round", "overall", "speed", "service", "satisfied", "engineer", "category", "created_at"]
    list_filter = ["satisfied", "channel", "category"]
    search_fields = ["ticket__number", "comment"]
    list_select_related = ["ticket", "engineer", "category"]
    readonly_fields = [f.name for f in RepairRating._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
