from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import passes, release_notes, services
from .hooks import shows_whole_id
from .models import PremisesCertificate, ReleaseNote, WorkerPass


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


# --- release notes 大件物品放行条 -------------------------------------------------------------------


@admin.register(ReleaseNote)
class ReleaseNoteAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Release notes are applied for in the portal and decided at the desk (their services
    issue the paper and tell the company); here supervisors find them and revoke issued ones
    through their workflow. Nothing is edited: the paper's data is frozen at issue."""

    list_display = ("number", "tenant", "date", "purpose", "vehicle_plate", "carrier_name", "status", "released_at")
    list_filter = ("status", "purpose", "date")
    search_fields = ("=document__number", "=vehicle_plate", "tenant__name", "carrier_name")
    list_select_related = ("tenant", "document")
    date_hierarchy = "date"
    readonly_fields = (
        "status",
        "tenant",
        "date",
        "purpose",
        "move_out",
        "items",
        "vehicle_plate",
        "carrier_name",
        "carrier_shown",
        "remarks",
        "document",
        "released_at",
        "released_by",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = readonly_fields
    actions = ["revoke_selected"]

    @admin.display(description=_("number"), ordering="document__number")
    def number(self, obj):
        return obj.document.number if obj.document else "—"

    @admin.display(description=_("carrier's ID card number"))
    def carrier_shown(self, obj):
        return obj.masked_carrier_id

    def has_add_permission(self, request):
        # Applied for in the portal or written at the desk, where the items are listed.
        return False

    @admin.action(description=_("Revoke selected issued notes (their papers stop working at the exit)"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        note = str(_("Revoked by the supervisor in the admin"))
        for obj in queryset.filter(status=ReleaseNote.Status.ISSUED).select_related("document", "tenant"):
            try:
                release_notes.release_note_revoke(obj=obj, by=request.user, note=note)
                revoked += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(request, f"{obj}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING)
        self.message_user(request, _("%(n)d release notes revoked.") % {"n": revoked}, messages.SUCCESS)


# --- access passes 大厦出入证 -------------------------------------------------------------------

from .access_passes import access_pass_cancel  # noqa: E402
from .models import AccessPass  # noqa: E402


@admin.register(AccessPass)
class AccessPassAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    """Cards are requested in the portal and issued, reissued, returned at the desk (their
    services bill and refund); here the supervisor finds them, corrects a misspelt name or
    department (audited by the mixin), and cancels cards through their workflow."""

    list_display = (
        "card_number",
        "holder_name",
        "department",
        "tenant",
        "card_type",
        "status",
        "valid_until",
        "migrated",
        "created_at",
    )
    list_filter = ("status", "card_type", "charge", "valid_until", "created_at")
    # A card number exactly (also a lost one: the desk's search); names by their part.
    search_fields = ("=card_number", "holder_name", "tenant__name")
    list_select_related = ("tenant",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "tenant",
        "card_type",
        "card_number",
        "dead_card_numbers",
        "floors_shown",
        "charge",
        "valid_until",
        "issued_at",
        "reissues",
        "migrated_from",
        "applicant",
        "created_at",
        "updated_at",
        "timeline",
    )
    fields = ("holder_name", "department", "mobile", *readonly_fields)
    actions = ["cancel_selected"]

    @admin.display(description=_("migrated"), boolean=True)
    def migrated(self, obj):
        return bool(obj.migrated_from)

    @admin.display(description=_("floors it opens"))
    def floors_shown(self, obj):
        return obj.floor_labels()

    def get_queryset(self, request):
        from .selectors import FLOORS

        return super().get_queryset(request).prefetch_related(FLOORS)

    def get_search_results(self, request, queryset, search_term):
        term = "".join(search_term.split()).upper()
        if term.isalnum() and term.isascii() and any(c.isdigit() for c in term):
            return queryset.filter(Q(card_number=term) | Q(dead_card_numbers__contains=[term])), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel selected cards that are out (they stop opening doors)"))
    def cancel_selected(self, request, queryset):
        done = 0
        note = str(_("Cancelled by the supervisor in the admin"))
        for access_pass in queryset.filter(status__in=AccessPass.CARD_OUT).select_related("tenant"):
            try:
                access_pass_cancel(obj=access_pass, by=request.user, note=note)
                done += 1
            except (TransitionRefused, PermissionDenied) as exc:
                self.message_user(
                    request, f"{access_pass}: {getattr(exc, 'message', _('not allowed'))}", messages.WARNING
                )
        self.message_user(request, _("%(n)d access cards cancelled.") % {"n": done}, messages.SUCCESS)


# 停车证 parking permits and spaces: registered by their own module.
from . import parking_admin  # noqa: E402, F401, I001

# 动火作业 hot-work permits: registered by their own module.
from .hot_work_admin import HotWorkPermitAdmin  # noqa: E402, F401

# 专用货梯 freight elevators and their bookings: registered by their own module.
from . import elevator_admin  # noqa: E402, F401
