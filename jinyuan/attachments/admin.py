from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jinyuan.privacy import RetentionAdminMixin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(RetentionAdminMixin, admin.ModelAdmin):
    """Read-only: files come in through the records' pages and are voided there."""

    list_display = [
        "__str__",
        "content_type",
        "object_id",
        "kind_name",
        "content_type_sniffed",
        "size",
        "uploaded_by",
        "uploaded_at",
        "voided_at",
        "purged",
    ]
    list_filter = [
        "content_type",
        "kind",
        ("voided_at", admin.EmptyFieldListFilter),
        ("purged_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["label", "original_name", "sha256"]
    list_select_related = ["content_type", "uploaded_by"]
    readonly_fields = [f.name for f in Attachment._meta.fields]
    date_hierarchy = "uploaded_at"

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj: Attachment) -> str:
        return obj.kind_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
