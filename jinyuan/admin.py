"""Admin pieces shared by every app: the timeline on change pages, audited saves."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import record_event


class TimelineAdminMixin:
    """Shows the record's audit timeline on its change page."""

    def timeline(self, obj):
        if not obj or not obj.pk:
            return "—"
        return render_to_string("workflow/_timeline.html", {"events": timeline(obj)})

    timeline.short_description = _("Timeline")


class AuditedAdminMixin(TimelineAdminMixin):
    """Every save in the admin leaves an audit event naming the changed fields."""

    audit_prefix = "admin"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            obj,
            f"{self.audit_prefix}.{'changed' if change else 'created'}",
            by=request.user,
            data={"fields": sorted(form.changed_data)},
        )


class ReadOnlyAdminMixin:
    """A log or ledger the admin only shows: its rows are written by services, never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
