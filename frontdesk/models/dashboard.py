"""The supervisor dashboard's monthly report (主管月报, issue 17): the dashboard's figures of one
month, frozen as JSON when the report is drawn up (``frontdesk.dashboard.dashboard``), and their
PDF. Drawn up by the beat on the 1st for the month before, once; a supervisor may draw a month
up again on demand (audited), which replaces its figures and its PDF."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    audit_prefix = "dashboard_report"
    event_labels = {
        "drafted": _("Monthly report drawn up"),
        "redrawn": _("Monthly report drawn up again"),
    }

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month reported on."))
    # frontdesk.dashboard.dashboard(month) as it was when drawn up: the PDF shows these numbers.
    figures = models.JSONField(_("figures"), default=dict, encoder=DjangoJSONEncoder)
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True, max_length=200)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    drawn_up_at = models.DateTimeField(_("drawn up at"))
    # Who asked for it on demand; empty: the beat on the 1st.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly supervision report")
        verbose_name_plural = _("monthly supervision reports")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
