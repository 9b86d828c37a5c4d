from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowInlineMixin, WorkflowRecordAdminMixin

from .models import (
    Building,
    Contact,
    Floor,
    Membership,
    MoveIn,
    MoveInUnit,
    MoveOut,
    MoveOutUnit,
    Occupancy,
    Signboard,
    Tenant,
    Unit,
)


@admin.register(Building)
class BuildingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("code", "name", "address", "floor_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_floors=Count("floors"))

    @admin.display(description=_("floors"), ordering="_floors")
    def floor_count(self, obj):
        return obj._floors


@admin.register(Floor)
class FloorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("building", "number", "label")
    list_filter = ("building",)
    list_select_related = ("building",)


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("number", "building", "floor", "area", "use", "is_active")
    list_filter = ("floor__building", "use", "is_active")
    search_fields = ("number",)
    list_select_related = ("floor__building",)
    raw_id_fields = ("floor",)

    @admin.display(description=_("building"), ordering="floor__building__code")
    def building(self, obj):
        return obj.floor.building


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class OccupancyInline(admin.TabularInline):
    """Shown for reference: occupancies start and end through move-in and move-out (or the
    Occupancy admin), where the overlap rules and the audit trail apply."""

    model = Occupancy
    extra = 0
    fields = ("unit", "start", "end", "late_fee_daily_rate", "late_fee_grace_days")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "tenant")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "is_active")
    readonly_fields = ("user",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "tenant")


@admin.register(Tenant)
class TenantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "tenant"
    list_display = ("name", "credit_code", "industry", "phone", "is_active", "created_at")
    list_filter = ("is_active", "industry")
    search_fields = ("name", "credit_code", "contacts__name")
    inlines = [ContactInline, OccupancyInline, MembershipInline]
    readonly_fields = ("timeline",)


@admin.register(Occupancy)
class OccupancyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Occupancies with their agreement's late-fee terms (违约金): a changed rate applies to the
    late fees not yet billed (billing.latefees); billed months keep theirs."""

    audit_prefix = "tenant"
    list_display = ("tenant", "unit", "start", "end", "late_fee_daily_rate", "late_fee_grace_days")
    list_filter = ("unit__floor__building", ("late_fee_daily_rate", admin.EmptyFieldListFilter))
    search_fields = ("tenant__name", "unit__number")
    list_select_related = ("tenant", "unit")
    raw_id_fields = ("tenant", "unit")
    date_hierarchy = "start"


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "tenant"
    list_display = ("user", "tenant", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "tenant__name")
    list_select_related = ("user", "tenant")
    raw_id_fields = ("user", "tenant")


class MoveInUnitInline(WorkflowInlineMixin, admin.TabularInline):
    model = MoveInUnit
    extra = 0
    raw_id_fields = ("unit", "photo")
    readonly_fields = ("handed_over_by", "handed_over_at", "inspected_by", "inspected_at")


@admin.register(MoveIn)
class MoveInAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("tenant", "start_date", "lease_end", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("tenant__name",)
    list_select_related = ("tenant",)
    raw_id_fields = ("tenant", "applicant")
    readonly_fields = ("status", "timeline")
    inlines = [MoveInUnitInline]


class MoveOutUnitInline(WorkflowInlineMixin, admin.TabularInline):
    model = MoveOutUnit
    extra = 0
    raw_id_fields = ("unit", "occupancy")
    readonly_fields = ("returned_to", "returned_at", "inspected_by", "inspected_at")


@admin.register(MoveOut)
class MoveOutAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("tenant", "planned_date", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("tenant__name",)
    list_select_related = ("tenant",)
    raw_id_fields = ("tenant", "applicant")
    readonly_fields = ("status", "timeline")
    inlines = [MoveOutUnitInline]


@admin.register(Signboard)
class SignboardAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("text", "tenant", "building", "position", "floor_number", "status", "installed_on")
    list_filter = ("status", "building", "position")
    search_fields = ("text", "tenant__name")
    list_select_related = ("tenant", "building")
    raw_id_fields = ("tenant", "applicant", "replaces")
    readonly_fields = ("status", "timeline")


# --- meters 水电表 (issue 14): supervisors keep the meters here; readings come from the desk ----------

from .models import Meter, MeterReading, ReadingRound  # noqa: E402


@admin.register(Meter)
class MeterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "meter"
    list_display = ("number", "unit", "building", "kind", "multiplier", "installed_on", "replaced_on", "is_active")
    list_filter = ("kind", "is_active", "unit__floor__building")
    search_fields = ("number", "unit__number")
    list_select_related = ("unit__floor__building",)
    raw_id_fields = ("unit",)
    readonly_fields = ("timeline",)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("building"), ordering="unit__floor__building__code")
    def building(self, obj):
        return obj.unit.floor.building


@admin.register(ReadingRound)
class ReadingRoundAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("building", "month", "status", "confirm_by", "billed_at")
    list_filter = ("status", "building")
    list_select_related = ("building",)
    raw_id_fields = ("applicant",)
    readonly_fields = ("status", "billed_at", "timeline")


@admin.register(MeterReading)
class MeterReadingAdmin(admin.ModelAdmin):
    """Read-only: readings are entered on the desk's round pages and decided there."""

    list_display = ("meter", "read_on", "value", "consumption", "replacement", "status", "source", "entered_by")
    list_filter = ("status", "source", "replacement")
    search_fields = ("meter__number", "meter__unit__number")
    list_select_related = ("meter", "entered_by")
    date_hierarchy = "read_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
