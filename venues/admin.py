"""The supervisors' admin of venues: spaces and bookings here, applications and events in
application_admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import application_admin  # noqa: F401 (registers the applications' admin)
from .models import Booking, Space
from .rooms import room_cancel


@admin.register(Space)
class SpaceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A space's rules and rates are its fields. A space is retired (not in use), never deleted;
    a poster board with N places is N spaces."""

    audit_prefix = "space"
    list_display = (
        "name",
        "kind",
        "building",
        "location",
        "capacity",
        "opens",
        "closes",
        "tenant_rate",
        "visitor_rate",
        "free_hours_per_month",
        "daily_rate",
        "needs_security",
        "is_active",
        "door_label",
    )
    list_filter = ("kind", "building", "is_active", "needs_security")
    list_select_related = ("building",)
    search_fields = ("name", "location")
    fieldsets = (
        (None, {"fields": ("name", "kind", "building", "location", "capacity", "area_m2", "equipment", "is_active")}),
        (_("Hours"), {"fields": ("opens", "closes", "slot_minutes", "max_hours", "advance_days")}),
        (
            _("Rates"),
            {
                "fields": (
                    "tenant_rate",
                    "visitor_rate",
                    "free_hours_per_month",
                    "daily_rate",
                    "deposit",
                    "fee_item",
                )
            },
        ),
        (_("Approval"), {"fields": ("needs_security",)}),
    )

    @admin.display(description=_("door label"))
    def door_label(self, obj):
        if not obj.is_meeting_room:
            return ""
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("desk:venues:room_door_label", args=[obj.pk]), _("PDF"))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Bookings are made at the desk or in the portal (the service checks the rules and bills the
    fee) or by an application; here the supervisor finds them, corrects the subject (audited)
    and cancels meeting-room bookings through their workflow."""

    list_display = ("start", "end", "space", "tenant", "customer", "application", "title", "fee", "status")
    list_filter = ("status", "space__kind", "space")
    search_fields = ("tenant__name", "customer__name", "title")
    list_select_related = ("space", "tenant", "customer", "application")
    date_hierarchy = "start"
    readonly_fields = (
        "status",
        "space",
        "tenant",
        "customer",
        "application",
        "start",
        "end",
        "attendees",
        "equipment",
        "billed_minutes",
        "free_minutes",
        "fee",
        "checked_in_at",
        "reminded_at",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("title", "contact_phone", *readonly_fields)
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False  # booked through the rules, at the desk, in the portal or by an application

    @admin.action(description=_("Cancel selected bookings"))
    def cancel_selected(self, request, queryset):
        cancelled = 0
        note = str(_("Cancelled by the supervisor in the admin"))
        qs = queryset.filter(status=Booking.Status.BOOKED, application__isnull=True).select_related("space", "tenant")
        for booking in qs:
            try:
                room_cancel(obj=booking, by=request.user, note=note)
                cancelled += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"{booking}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d bookings cancelled.") % {"n": cancelled}, messages.SUCCESS)
