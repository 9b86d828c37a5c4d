from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import services
from .models import PremisesCertificate


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
