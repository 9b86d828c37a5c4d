from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, CalendarDay, CalendarYear, Deadline, Notification, NumberSequence


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "content_type", "object_id", "actor", "from_state", "to_state")
    list_filter = ("content_type", "action")
    search_fields = ("action", "note", "actor__username")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last")
    readonly_fields = ("prefix", "year", "last")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at", "emailed_at", "texted_at")
    list_filter = ("read_at", "emailed_at")
    search_fields = ("message", "recipient__username")
    list_select_related = ("recipient",)
    readonly_fields = (
        "recipient",
        "message",
        "args",
        "body",
        "url",
        "channels",
        "dedup_key",
        "read_at",
        "emailed_at",
        "texted_at",
    )

    def has_add_permission(self, request):
        # Notifications are sent by the system's services, never typed in.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A supervisor keeps each year: office hours, and confirms the holidays once checked
    against the State Council's notice (a year chinese-calendar does not know starts as plain
    weekdays, unconfirmed, and the supervisor's home says so)."""

    list_display = ("year", "office_opens", "office_closes", "confirmed", "seeded_from", "updated_at")
    list_filter = ("confirmed",)
    list_editable = ("confirmed",)
    readonly_fields = ("seeded_from", "updated_at")
    actions = ["confirm"]

    @admin.action(description=_("Confirm the selected years"))
    def confirm(self, request, queryset):
        queryset.update(confirmed=True)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Dates that differ from their weekday: public holidays on weekdays (not working) and
    make-up working days (调休) on weekends (working)."""

    list_display = ("date", "weekday", "is_working", "name")
    list_filter = ("is_working",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("kind", "content_type", "object_id", "state", "started_at", "due_at", "stopped_at", "met")
    list_filter = ("state", "kind", "met", "content_type")
    list_select_related = ("content_type",)
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
