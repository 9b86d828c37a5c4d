"""Hot-work permits in the admin (supervisors); imported by permits/admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import hot_work
from .models import HotWorkPermit


@admin.register(HotWorkPermit)
class HotWorkPermitAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Permits are applied for in the portal or at the desk and decided by engineering and
    security (their services issue the paper); here supervisors find them and stop live ones
    through their workflow. Nothing is edited: the paper's data is frozen at issue."""

    list_display = ("number", "tenant", "unit", "method", "starts_at", "ends_at", "fire_watch_name", "status")
    list_filter = ("status", "method", "unit__floor__building", "starts_at")
    search_fields = ("=document__number", "tenant__name", "operator_name", "fire_watch_name")
    list_select_related = ("tenant", "unit", "document")
    date_hierarchy = "starts_at"
    readonly_fields = (
        "status",
        "tenant",
        "renovation",
        "unit",
        "part",
        "work",
        "method",
        "starts_at",
        "ends_at",
        "operator_name",
        "certificate_number",
        "certificate_expiry",
        "fire_watch_name",
        "fire_watch_phone",
        "area_m2",
        "extinguishers",
        "measures",
        "site_checks",
        "checked_at",
        "checked_by",
        "work_ended_at",
        "rechecked_at",
        "rechecked_by",
        "stop_reason",
        "document",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = readonly_fields
    actions = ["stop_selected"]

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Stop selected live hot work (their papers stop working at once)"))
    def stop_selected(self, request, queryset):
        stopped = 0
        note = str(_("Stopped by the supervisor in the admin"))
        live = (HotWorkPermit.Status.APPROVED, HotWorkPermit.Status.IN_PROGRESS)
        for obj in queryset.filter(status__in=live).select_related("document", "tenant"):
            try:
                hot_work.hot_work_stop(obj=obj, by=request.user, note=note)
                stopped += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"{obj}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d hot-work permits stopped.") % {"n": stopped}, messages.SUCCESS)
