from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowRecordAdminMixin

from .models import DepositTier, FeeSchedule, FireApprovalRule, Renovation


@admin.register(Renovation)
class RenovationAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Renovations are decided on the desk's detail page (their services bill fees and issue
    the permit); here the supervisor reads them and corrects contact details."""

    list_display = ("id", "number", "tenant", "unit", "contractor_name", "planned_start", "planned_end", "status")
    list_filter = ("status", "intended_use", "unit__floor__building", "created_at")
    search_fields = ("tenant__name", "contractor_name", "unit__number", "permit__number")
    list_select_related = ("tenant", "unit", "permit")
    date_hierarchy = "created_at"
    raw_id_fields = ("tenant", "unit", "applicant")
    readonly_fields = (
        "status",
        "tenant",
        "unit",
        "applicant",
        "planned_start",
        "planned_end",
        "electrical_load_kw",
        "intended_use",
        "fire_approval_required",
        "engineering_remarks",
        "security_remarks",
        "granted_start",
        "granted_end",
        "deposit_from_move_in",
        "fees_bill",
        "permit",
        "works_started_on",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = (
        "contact_name",
        "contact_phone",
        "contractor_name",
        "contractor_person",
        "contractor_phone",
        "fire_safety_person",
        "fire_safety_phone",
        "work_items",
        *readonly_fields,
    )

    @admin.display(description=_("number"), ordering="permit__number")
    def number(self, obj):
        return obj.permit.number if obj.permit else "—"

    def has_add_permission(self, request):
        # Applications come from the portal or the desk, with their checks and files.
        return False


@admin.register(FireApprovalRule)
class FireApprovalRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "renovation_rules"
    list_display = ("use", "area_above", "document", "legal_basis", "is_active")
    list_filter = ("use", "is_active")
    list_editable = ("is_active",)
    search_fields = ("document", "legal_basis")


@admin.register(DepositTier)
class DepositTierAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "renovation_fees"
    list_display = ("__str__", "area_up_to", "amount")


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "renovation_fees"
    list_display = ("__str__", "management_basis", "management_rate", "waste_removal_fee", "updated_at")

    def has_add_permission(self, request):
        # One schedule: the row seeded by migration 0002 is edited, never a second added (and
        # without a query here: the admin asks this on every page, for its sidebar).
        return False

    def has_delete_permission(self, request, obj=None):
        return False
