"""The supervisors' admin of quality checks: check sheets are kept here (items inline); a sheet
a check has used is frozen (its items read-only) and "copy as a new version" gives an editable
copy. Checks and non-conformities are read and searched here; their changes go through the
desk's pages (the services)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from . import quality_services
from .liaison_admin import ReadOnlyRecordAdmin
from .models import CheckItem, CheckSheet, NonConformity, QualityCheck

ITEM_FIELDS = ("order", "text", "weight", "min_score", "max_score", "pass_score")


class CheckItemInline(admin.TabularInline):
    model = CheckItem
    fields = ITEM_FIELDS
    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.is_used

    def get_readonly_fields(self, request, obj=None):
        return ITEM_FIELDS if self._frozen(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CheckSheet)
class CheckSheetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "check_sheet"
    list_display = ("name", "version", "department", "rectify_days", "is_active", "created_at")
    list_filter = ("department", "is_active")
    search_fields = ("name",)
    inlines = [CheckItemInline]
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ("department", "version") if obj is not None and obj.is_used else ("version",)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Copy as a new version (the old one goes out of use)"))
    def new_version(self, request, queryset):
        for sheet in queryset:
            copy = quality_services.sheet_new_version(sheet=sheet, by=request.user)
            messages.success(request, _("%(sheet)s created.") % {"sheet": copy})


@admin.register(QualityCheck)
class QualityCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "checked_at", "department", "sheet", "location", "inspector", "total", "failed_items")
    list_filter = ("department",)
    search_fields = ("number", "location", "notes")
    list_select_related = ("sheet", "inspector")
    date_hierarchy = "checked_at"


@admin.register(NonConformity)
class NonConformityAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "department", "description", "responsible", "due_at", "status", "closed_at")
    list_filter = ("status", "department")
    search_fields = ("number", "description", "rectification")
    list_select_related = ("responsible",)
    date_hierarchy = "due_at"
