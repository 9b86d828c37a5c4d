"""Parking spaces and permits in the admin (supervisors); imported by permits/admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import parking
from .models import ParkingPermit, ParkingSpace


@admin.register(ParkingSpace)
class ParkingSpaceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The car park's numbered spaces: supervisors add, retire (not in use) and correct them."""

    audit_prefix = "parking_space"
    list_display = ("number", "zone", "is_fixed", "is_active", "live_permits", "note")
    list_filter = ("zone", "is_fixed", "is_active")
    list_editable = ("is_active",)
    search_fields = ("=number", "zone", "note")
    actions = ["retire_selected"]

    def get_queryset(self, request):
        live = Q(permits__status__in=ParkingPermit.LIVE)
        return super().get_queryset(request).annotate(live_count=Count("permits", filter=live))

    @admin.display(description=_("live permits"), ordering="live_count")
    def live_permits(self, obj):
        return obj.live_count

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: a space no longer let is marked not in use

    @admin.action(description=_("Mark selected spaces not in use"))
    def retire_selected(self, request, queryset):
        n = queryset.update(is_active=False)
        self.message_user(request, _("%(n)d spaces marked not in use.") % {"n": n}, messages.SUCCESS)


@admin.register(ParkingPermit)
class ParkingPermitAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Permits are applied for, approved and renewed at the desk or in the portal (their
    services bill the rent and print the paper); here the supervisor finds them, corrects the
    vehicle's description or the driver (audited) and revokes permits through their workflow."""

    list_display = ("plate", "number", "tenant", "space", "rental_type", "start", "last_day", "status")
    list_filter = ("status", "rental_type", "space__zone", "end")
    search_fields = ("=plate", "=document__number", "tenant__name", "driver_name")
    list_select_related = ("tenant", "space", "document")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "plate",
        "tenant",
        "space",
        "rental_type",
        "start",
        "end",
        "monthly_fee",
        "renewals",
        "document",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("brand", "vehicle_model", "colour", "driver_name", "driver_phone", *readonly_fields)
    actions = ["revoke_selected"]

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    @admin.display(description=_("last day"), ordering="end")
    def last_day(self, obj):
        return obj.last_day

    def has_add_permission(self, request):
        return False  # applied for with the vehicle licence, at the desk or in the portal

    @admin.action(description=_("Revoke selected live permits"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        note = str(_("Revoked by the supervisor in the admin"))
        for permit in queryset.filter(status__in=ParkingPermit.LIVE).select_related("tenant", "document"):
            try:
                parking.parking_revoke(obj=permit, by=request.user, note=note)
                revoked += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"{permit}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d parking permits revoked.") % {"n": revoked}, messages.SUCCESS)
