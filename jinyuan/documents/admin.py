from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import ReadOnlyAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import registry
from .models import Document, GateCheck


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: a document changes only through its record's workflow. Revoking here calls
    the kind's ``revoke`` hook, i.e. the record's own revoke service (a certificate becomes
    revoked with its paper); kinds without one cannot be revoked here."""

    list_display = ("number", "kind", "status", "issued_at", "issued_by", "valid_until", "revoked_at")
    list_filter = ("kind", "status", "single_use", "issued_at")
    search_fields = ("number", "code")
    list_select_related = ("issued_by",)
    date_hierarchy = "issued_at"
    readonly_fields = [f.name for f in Document._meta.fields]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke selected documents through their records (reason: revoked in admin)"))
    def revoke_selected(self, request, queryset):
        done = 0
        reason = str(_("Revoked in admin"))
        for doc in queryset:
            spec = registry.find(doc.kind)
            revoke = spec.hook("revoke") if spec else None
            if revoke is None:
                self.message_user(
                    request,
                    _("%(number)s: this kind of document cannot be revoked here.") % {"number": doc.number},
                    messages.WARNING,
                )
                continue
            try:
                with transaction.atomic():
                    revoke(doc, request.user, reason)
                done += 1
            except (TransitionRefused, PermissionDenied, ValidationError) as exc:
                detail = getattr(exc, "message", None) or _("not allowed")
                self.message_user(request, f"{doc.number}: {detail}", messages.WARNING)
        self.message_user(request, _("%(n)d documents revoked.") % {"n": done}, messages.SUCCESS)


@admin.register(GateCheck)
class GateCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The gates' log; written only by the verify page."""

    list_display = ("at", "document", "action", "result", "verdict", "by", "note")
    list_filter = ("result", "action", "verdict", "at")
    search_fields = ("document__number", "note")
    list_select_related = ("document", "by")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in GateCheck._meta.fields]
