"""The supervisors' admin of shifts, duty log entries and inquiries: read, search and filter;
every change goes through the desk's pages (the services), so the admin edits no state."""

from django.contrib import admin

from jinyuan.admin import ReadOnlyAdminMixin, TimelineAdminMixin, WorkflowInlineMixin, WorkflowRecordAdminMixin

from .models import DutyEntry, Inquiry, Shift


class EntryInline(WorkflowInlineMixin, admin.TabularInline):
    model = DutyEntry
    extra = 0
    can_delete = False
    fields = ("at", "kind", "text", "record_label", "written_by", "is_open", "closed_at", "closing_note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("written_by")


@admin.register(Shift)
class ShiftAdmin(WorkflowRecordAdminMixin, ReadOnlyAdminMixin, TimelineAdminMixin, admin.ModelAdmin):
    list_display = ("date", "code", "status", "applicant", "handed_over_by", "arriving", "accepted_at")
    list_filter = ("status", "code")
    date_hierarchy = "date"
    list_select_related = ("applicant", "handed_over_by", "arriving")
    readonly_fields = ("timeline",)
    inlines = (EntryInline,)


@admin.register(DutyEntry)
class DutyEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "text", "record_label", "written_by", "is_open", "closed_at")
    list_filter = ("kind", "is_open")
    search_fields = ("text", "record_label", "closing_note")
    date_hierarchy = "at"
    list_select_related = ("written_by",)


@admin.register(Inquiry)
class InquiryAdmin(WorkflowRecordAdminMixin, ReadOnlyAdminMixin, TimelineAdminMixin, admin.ModelAdmin):
    list_display = ("received_at", "channel", "kind", "tenant", "question", "status", "applicant")
    list_filter = ("status", "channel", "kind")
    search_fields = ("question", "answer", "tenant__name", "visitor_name")
    date_hierarchy = "received_at"
    list_select_related = ("tenant", "applicant")
    raw_id_fields = ("tenant", "unit", "repair", "complaint", "shift")
    readonly_fields = ("timeline",)
