from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from jinyuan.admin import ReadOnlyAdminMixin, WorkflowRecordAdminMixin

from .models import Complaint, ComplaintCategory, ServiceReport
from .selectors import complainant_for, may_see_complainant

# Who complained: shown in the admin only where the reader may see it (an anonymous complaint's
# complainant to the user who recorded it, nobody else).
COMPLAINANT_FIELDS = ("complainant_name", "complainant_phone", "complainant_email", "applicant")


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


@admin.register(Complaint)
class ComplaintAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Complaints change state through their services; here the protected fields are read-only,
    every save is audited, and an anonymous complainant stays hidden."""

    list_filter = ["status", "kind", "channel", "department", "validity", "urgent", "category"]
    # Never the complainant's name or phone: a search would tell who an anonymous one is.
    search_fields = ["number", "content", "tenant__name"]
    list_select_related = ["category", "tenant", "assignee"]
    readonly_fields = [
        "reply_draft",
        "proposed_by",
        "approved_reply",
        "approved_by",
        "approved_at",
        "reply_sent_at",
        "reply_sent_by",
        "reply_via",
        "reply_emailed_at",
        "validity",
        "validity_reason",
        "acknowledged_at",
        "assigned_at",
        "closed_at",
        "reopen_count",
        "department",
        "assignee",
        "anonymous",
        # Where it came from (an inquiry at the desk): set once by the service that made it.
        "source_type",
        "source_id",
    ]

    def get_list_display(self, request):
        def complainant(obj: Complaint) -> str:
            return complainant_for(obj, request.user, in_list=True).label or "—"

        complainant.short_description = _("complainant")
        return ["number", "status", "kind", "category", "tenant", complainant, "department", "assignee", "created_at"]

    def _masked(self, request, obj) -> bool:
        return obj is not None and not may_see_complainant(obj, request.user)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._masked(request, obj):
            fields = [f for f in fields if f not in COMPLAINANT_FIELDS] + ["complainant_hidden"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._masked(request, obj):
            fields = [f for f in fields if f not in COMPLAINANT_FIELDS] + ["complainant_hidden"]
        return fields

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self._masked(request, obj):
            exclude += [f for f in COMPLAINANT_FIELDS if f not in exclude]
        return exclude

    @admin.display(description=_("complainant"))
    def complainant_hidden(self, obj) -> str:
        return str(_("Anonymous"))

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ServiceReport)
class ServiceReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The monthly service reports: drafted by the beat task, signed off on the statistics page."""

    list_display = ["month", "status", "rendered_at", "signed_by", "signed_at", "page"]
    list_filter = ["status"]
    list_select_related = ["signed_by"]
    date_hierarchy = "month"
    exclude = ["figures"]

    @admin.display(description=_("statistics page"))
    def page(self, obj: ServiceReport) -> str:
        url = reverse("desk:complaints:statistics") + f"?month={obj.month:%Y-%m}"
        return format_html('<a href="{}">{}</a>', url, pgettext("button", "Open"))
