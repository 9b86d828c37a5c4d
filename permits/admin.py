from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import passes, services
from .hooks import shows_whole_id
from .models import PremisesCertificate, WorkerPass


@admin.register(PremisesCertificate)
class PremisesCertificateAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("id", "number", "tenant", "unit", "purpose", "status", "created_at")
    list_filter = ("status", "purpose", "unit__floor__building", "created_at")
    search_fields = ("tenant__name", "document__number", "unit__number")
    list_select_related = ("tenant", "unit", "document")
    date_hierarchy = "created_at"
    raw_id_fields = ("tenant", "unit", "applicant")
    readonly_fields = ("status", "document", "applicant", "created_at", "updated_at", "timeline")
    fields = ("tenant", "unit", "purpose", "purpose_detail", "copies", *readonly_fields)
    actions = ["approve_selected"]

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    def has_add_permission(self, request):
        # Requests come from the portal with their occupancy checks; the admin decides them.
        return False

    @admin.action(description=_("Approve and issue selected (checked) requests"))
    def approve_selected(self, request, queryset):
        issued = 0
        for cert in queryset.select_related("tenant", "unit"):
            try:
                services.certificate_approve(obj=cert, by=request.user)
                issued += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"#{cert.pk}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d certificates issued.") % {"n": issued}, messages.SUCCESS)


@admin.register(WorkerPass)
class WorkerPassAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Worker passes are issued, reissued and returned at the desk (their services bill the
    fees, print the badge and refund the deposit); here the supervisor finds them, corrects a
    misspelt name or certificate number (audited), and voids passes through their workflow.

    The ID number is never a form field: shown whole to security and the desk (supervisors),
    masked to anyone else, and searchable only as a whole number by those who may see it."""

    list_display = ("number", "worker_name", "id_number_shown", "trade", "tenant", "unit", "status", "valid_until")
    list_filter = ("status", "trade", "renovation__unit__floor__building", "valid_until")
    # The unit is searched by its exact number: a unit filter would list 5,000 units.
    search_fields = (
        "worker_name",
        "=document__number",
        "renovation__contractor_name",
        "tenant__name",
        "=renovation__unit__number",
    )
    list_select_related = ("tenant", "renovation__unit", "document")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "number",
        "id_number_shown",
        "tenant",
        "renovation",
        "trade",
        "certificate_expiry",
        "valid_until",
        "reissues",
        "document",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("worker_name", "certificate_number", *readonly_fields)
    actions = ["void_selected"]

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    @admin.display(description=_("unit"), ordering="renovation__unit__number")
    def unit(self, obj):
        return obj.renovation.unit.number

    def get_queryset(self, request):
        # Whether this user sees whole ID numbers, on every row the list or the form reads (the
        # admin instance is shared by all requests: the answer cannot be kept on it).
        return super().get_queryset(request).annotate(whole_id=Value(shows_whole_id(request.user)))

    @admin.display(description=_("ID card number"))
    def id_number_shown(self, obj):
        return obj.id_number if getattr(obj, "whole_id", False) else obj.masked_id_number

    def get_search_results(self, request, queryset, search_term):
        """A whole ID number finds its worker's passes, for those who may see the number; a
        part of one finds nothing (the numbers are not searchable piece by piece)."""
        term = search_term.strip().upper()
        if len(term) == 18 and term[:17].isdigit():
            if not shows_whole_id(request.user):
                return queryset.none(), False
            return queryset.filter(id_number=term), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        # Issued at the desk with the worker's photo, the fee bill and the printed badge.
        return False

    @admin.action(description=_("Void selected live passes (their badges stop working)"))
    def void_selected(self, request, queryset):
        voided = 0
        note = str(_("Voided by the supervisor in the admin"))
        for worker_pass in queryset.filter(status__in=WorkerPass.LIVE).select_related("document", "renovation"):
            try:
                passes.worker_pass_void(obj=worker_pass, by=request.user, note=note)
                voided += 1
            except (TransitionRefused, PermissionDenied) as exc:
                message = getattr(exc, "message", _("not allowed"))
                self.message_user(request, f"{worker_pass}: {message}", messages.WARNING)
        self.message_user(request, _("%(n)d worker passes voided.") % {"n": voided}, messages.SUCCESS)


# 停车证 parking permits and spaces: registered by their own module.
from . import parking_admin  # noqa: E402, F401
