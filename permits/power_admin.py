"""Temporary-power permits in the admin (supervisors); imported by permits/admin.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import WorkflowRecordAdminMixin

from .models import TemporaryPower


@admin.register(TemporaryPower)
class TemporaryPowerAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Applied for in the portal or at the desk and run by engineering on the desk's pages
    (their services print the paper and bill the fee); here the supervisor finds them and
    corrects the electrician's contact (audited)."""

    list_display = ("number", "tenant", "place", "load_kw", "starts_at", "ends_at", "status", "fee")
    list_filter = ("status", "voltage", "has_meter", "starts_at")
    search_fields = ("=document__number", "tenant__name", "location", "=unit__number", "electrician_name")
    list_select_related = ("tenant", "unit", "document")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "tenant",
        "unit",
        "location",
        "renovation",
        "purpose",
        "load_kw",
        "voltage",
        "phases",
        "starts_at",
        "ends_at",
        "certificate_number",
        "certificate_expiry",
        "document",
        "checklist",
        "inspection_note",
        "has_meter",
        "meter_start",
        "meter_end",
        "switched_on_at",
        "switched_off_at",
        "fee",
        "bill",
        "engineer",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("electrician_name", "phone", *readonly_fields)

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    def has_add_permission(self, request):
        return False  # applied for in the portal or at the desk
