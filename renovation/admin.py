from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowInlineMixin, WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import extensions, services
from .models import (
    Deduction,
    DeductionItem,
    DepositTier,
    Extension,
    FeeSchedule,
    FireApprovalRule,
    Inspection,
    RectificationOrder,
    Renovation,
)


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


# --- works: inspections, rectification orders, deductions, extensions ----------------------------
# Made on the desk's pages through the services (numbers, papers, deadlines, money); here the
# supervisors list, filter and search them, read every fact and timeline, and decide proposed
# deductions and extensions in bulk through the same services.


# Who proposed a record and who decided it, when, and its timeline: last on its change page.
DECIDED = ("applicant", "decided_by", "decided_at", "created_at", "updated_at", "timeline")


class WorksRecordAdmin(admin.ModelAdmin):
    """What the works records share in the admin: nothing is added or deleted here, and what
    is printed or decided (an order's terms, a deduction's items, an extension's dates) is
    shown, not edited (``editable``: the admin's one change is an audited correction)."""

    editable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return self.editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("unit"), ordering="renovation__unit__number")
    def unit(self, obj):
        return obj.renovation.unit.number

    def run_service(self, request, queryset, service, done_message) -> None:
        """Run ``service(obj=, by=)`` on each selected row; refusals are reported, not raised."""
        done, refused = 0, []
        for obj in queryset:
            try:
                service(obj=obj, by=request.user)
                done += 1
            except (TransitionRefused, PermissionDenied) as exc:
                refused.append(f"{obj}: {getattr(exc, 'message', '') or _('not possible in the current state')}")
        self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)


@admin.register(Inspection)
class InspectionAdmin(AuditedAdminMixin, WorksRecordAdmin):
    """An inspection's facts are what was seen: only the findings' wording may be corrected
    (audited); whether it was a violation and the order it issued stay as recorded."""

    audit_prefix = "renovation_inspection"
    editable = True
    list_display = ("inspected_at", "tenant", "unit", "department", "inspector", "violation", "order_number")
    list_filter = ("department", "violation", "inspected_at", "renovation__unit__floor__building")
    search_fields = ("renovation__tenant__name", "renovation__unit__number", "findings", "order__document__number")
    list_select_related = ("renovation__tenant", "renovation__unit", "inspector", "order__document")
    date_hierarchy = "inspected_at"
    readonly_fields = (
        "renovation",
        "department",
        "inspected_at",
        "inspector",
        "violation",
        "reinspects",
        "order_number",
        "created_at",
        "timeline",
    )
    fields = ("findings", *readonly_fields)

    @admin.display(description=_("company"), ordering="renovation__tenant__name")
    def tenant(self, obj):
        return obj.renovation.tenant.name

    @admin.display(description=_("rectification order"))
    def order_number(self, obj):
        order = getattr(obj, "order", None)
        return order.document.number if order is not None and order.document else "—"


@admin.register(RectificationOrder)
class RectificationOrderAdmin(WorkflowRecordAdminMixin, WorksRecordAdmin):
    """整改通知书: printed as issued, closed or escalated by re-inspections on the desk."""

    list_display = ("number", "tenant", "unit", "due_on", "status", "created_at", "closed_at")
    list_filter = ("status", "due_on", "created_at", "renovation__unit__floor__building")
    search_fields = ("document__number", "tenant__name", "renovation__unit__number", "requirement")
    list_select_related = ("tenant", "renovation__unit", "document")
    date_hierarchy = "created_at"
    readonly_fields = (
        "number",
        "status",
        "tenant",
        "renovation",
        "inspection",
        "requirement",
        "due_on",
        "document",
        "closed_at",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = readonly_fields

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"


class DeductionItemInline(WorkflowInlineMixin, admin.TabularInline):
    model = DeductionItem
    fields = ("reason", "amount")
    readonly_fields = ("reason",)
    extra = 0


@admin.register(Deduction)
class DeductionAdmin(WorkflowRecordAdminMixin, WorksRecordAdmin):
    """Deposit deductions: the items and total as proposed; the supervisor approves proposed
    ones here in bulk (a rejection needs its reason: on the deduction's desk page)."""

    list_display = ("__str__", "tenant", "unit", "department", "total", "status", "applicant", "decided_by")
    list_filter = ("status", "department", "created_at")
    search_fields = ("tenant__name", "renovation__unit__number", "items__reason")
    list_select_related = ("tenant", "renovation__unit", "applicant", "decided_by")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "tenant",
        "renovation",
        "department",
        "total",
        *DECIDED,
    )
    fields = readonly_fields
    inlines = [DeductionItemInline]
    actions = ["approve_selected"]

    @admin.action(description=_("Approve the selected proposed deductions"))
    def approve_selected(self, request, queryset):
        self.run_service(request, queryset, services.deduction_approve, _("%(n)d deductions approved."))


@admin.register(Extension)
class ExtensionAdmin(WorkflowRecordAdminMixin, WorksRecordAdmin):
    """Extensions 延期: approved in bulk through the service (fee billed, permit issued again);
    a rejection needs its reason: on the extension's desk page."""

    list_display = ("__str__", "tenant", "unit", "previous_end", "new_end", "status", "fees_bill", "decided_by")
    list_filter = ("status", "new_end", "created_at")
    search_fields = ("tenant__name", "renovation__unit__number", "reason", "permit__number", "fees_bill__number")
    list_select_related = ("tenant", "renovation__unit", "fees_bill", "decided_by")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "tenant",
        "renovation",
        "previous_end",
        "new_end",
        "reason",
        "fees_bill",
        "permit",
        *DECIDED,
    )
    fields = readonly_fields
    actions = ["approve_selected"]

    @admin.action(description=_("Approve the selected extensions (bill the fee, issue the permit again)"))
    def approve_selected(self, request, queryset):
        self.run_service(request, queryset, extensions.extension_approve, _("%(n)d extensions approved."))
