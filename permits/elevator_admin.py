"""Freight elevators (their booking rules) and their bookings in the admin (supervisors);
imported by permits/admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import elevator
from .models import ElevatorBooking, FreightElevator


@admin.register(FreightElevator)
class FreightElevatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The rules are fields of each elevator: hours, free time, the hourly fee item, notice and
    the cancellation cut-off. An elevator is retired (not in use), never deleted."""

    audit_prefix = "freight_elevator"
    list_display = ("name", "building", "opens", "closes", "office_opens", "office_closes", "fee_item", "is_active")
    list_filter = ("building", "is_active")
    list_select_related = ("building", "fee_item")
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "building", "is_active")}),
        (_("Hours"), {"fields": ("opens", "closes", "office_opens", "office_closes", "slot_minutes", "max_hours")}),
        (_("Fee"), {"fields": ("free_hours", "fee_item")}),
        (
            _("Notice and cancellation"),
            {"fields": ("notice_hours_office", "notice_hours_outside", "cancel_cutoff_hours")},
        ),
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ElevatorBooking)
class ElevatorBookingAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Bookings are made at the desk or in the portal (the service checks the rules and bills the
    fee); here the supervisor finds them, corrects the purpose (audited) and cancels through the
    booking's workflow."""

    list_display = ("start", "end", "elevator", "company", "purpose", "operator", "fee", "status")
    list_filter = ("status", "elevator")
    search_fields = ("tenant__name", "purpose")
    list_select_related = ("elevator", "tenant", "operator")
    date_hierarchy = "start"
    readonly_fields = (
        "status",
        "elevator",
        "tenant",
        "start",
        "end",
        "renovation",
        "release_note",
        "operator",
        "fee_hours",
        "fee",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("purpose", *readonly_fields)
    actions = ["cancel_selected"]

    @admin.display(description=_("company"), ordering="tenant__name")
    def company(self, obj):
        return obj.company

    def has_add_permission(self, request):
        return False  # booked through the rules, at the desk or in the portal

    @admin.action(description=_("Cancel selected bookings"))
    def cancel_selected(self, request, queryset):
        cancelled = 0
        note = str(_("Cancelled by the supervisor in the admin"))
        for booking in queryset.filter(status=ElevatorBooking.Status.BOOKED).select_related("tenant", "elevator"):
            try:
                elevator.elevator_cancel(obj=booking, by=request.user, note=note)
                cancelled += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"{booking}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d bookings cancelled.") % {"n": cancelled}, messages.SUCCESS)
