"""The admin of the monthly supervision reports: read them and open their PDFs. They are drawn
up by the beat on the 1st or again on demand from the dashboard (``dashboard_services``), never
edited here: the PDF must show the figures the report froze."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import ReadOnlyAdminMixin

from .models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("month_label", "drawn_up_at", "rendered_at", "requested_by", "pdf_link")
    list_select_related = ("requested_by",)
    date_hierarchy = "month"
    fields = ("month", "drawn_up_at", "rendered_at", "requested_by", "pdf_link")
    readonly_fields = fields

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, obj: MonthlyReport) -> str:
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: MonthlyReport) -> str:
        if not obj.pdf:
            return _("Being prepared")
        # The desk's download view checks the reader is a supervisor; the file is not public.
        url = reverse("desk:frontdesk:dashboard_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
