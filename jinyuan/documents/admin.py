from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jinyuan.workflow.services import TransitionRefused

from .models import Document
from .services import document_revoke


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "status", "issued_at", "issued_by", "valid_until", "revoked_at")
    list_filter = ("kind", "status", "issued_at")
    search_fields = ("number",)
    list_select_related = ("issued_by",)
    date_hierarchy = "issued_at"
    readonly_fields = [f.name for f in Document._meta.fields]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke selected documents (reason: revoked in admin)"))
    def revoke_selected(self, request, queryset):
        done = 0
        for doc in queryset:
            try:
                document_revoke(document=doc, by=request.user, reason=str(_("Revoked in admin")))
                done += 1
            except TransitionRefused:
                pass
        self.message_user(request, _("%(n)d documents revoked.") % {"n": done}, messages.SUCCESS)
