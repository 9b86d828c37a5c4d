"""Admin pieces shared by every app: the timeline on change pages, audited saves."""

from django.db import models
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

    def get_event_prefix(self, obj) -> str:
        return self.audit_prefix

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            obj,
            f"{self.get_event_prefix(obj)}.{'changed' if change else 'created'}",
            by=request.user,
            data={"fields": sorted(form.changed_data)},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changed = sorted({name for f in formset.forms if f.has_changed() for name in f.changed_data})
        if changed:
            record_event(
                form.instance,
                f"{self.get_event_prefix(form.instance)}.changed",
                by=request.user,
                data={"fields": [f"{formset.prefix}.{name}" for name in changed]},
            )


# Fields of a procedure record that only its workflow may set: the state, whose record it is,
# its number and its money. Typed in the admin they would skip the checks, the numbering and
# the audit trail (an issued certificate moved to another tenant would show in that tenant's portal).
PROTECTED_FIELD_NAMES = frozenset({"tenant", "unit", "units", "applicant", "number", "document", "occupancy"})


def is_protected_field(field: models.Field) -> bool:
    from django_fsm import FSMFieldMixin

    from jinyuan.documents.models import Document

    return (
        isinstance(field, FSMFieldMixin)
        or field.name in PROTECTED_FIELD_NAMES
        or isinstance(field, models.DecimalField)
        or (field.is_relation and field.related_model is Document)
    )


class WorkflowRecordAdminMixin(AuditedAdminMixin):
    """A procedure record in the admin: its protected fields are read-only, its changes go
    through its services (admin actions), every save leaves an audit event, nothing is deleted."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        fields += [f.name for f in self.model._meta.fields if is_protected_field(f) and f.name not in fields]
        return fields

    def get_event_prefix(self, obj) -> str:
        return getattr(obj, "audit_prefix", "") or self.audit_prefix

    def has_delete_permission(self, request, obj=None):
        return False


class WorkflowInlineMixin:
    """Rows of a procedure record (units of a move-in ...): protected fields read-only, rows
    neither added nor deleted in the admin."""

    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        fields += [f.name for f in self.model._meta.fields if is_protected_field(f) and f.name not in fields]
        return fields

    def has_add_permission(self, request, obj=None):
        return False


def harden_admin_changelists() -> None:
    """Django's date hierarchy turns ``?issued_on__year=<30 digits>`` into an OverflowError (a
    500) where it already turns a bad month into "invalid lookup". Treat both alike: the admin
    then shows the list with its "?e=1" notice. Installed once, for every model admin."""
    from django.contrib.admin.options import IncorrectLookupParameters
    from django.contrib.admin.views.main import ChangeList

    if getattr(ChangeList.get_filters, "_overflow_safe", False):
        return
    original = ChangeList.get_filters

    def get_filters(self, request):
        try:
            return original(self, request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    get_filters._overflow_safe = True
    ChangeList.get_filters = get_filters


class ReadOnlyAdminMixin:
    """A log or ledger the admin only shows: its rows are written by services, never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
