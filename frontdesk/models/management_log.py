"""The building management log 大厦管理日志: one per day.

Its sections are drafted from the day's audit events through the kernel's registry
(``jinyuan.navigation.register_log_events``: each app names the event codes that belong in the
log), with the open items carried forward from earlier days (follow-up items ``ActionItem`` and
open duty-log entries). The supervisor writes the remarks (大厦情况, 值班经理意见) and signs:
signing stores the rendered sections on the row (``content``), so later events never change a
signed log, and issues its PDF. An unsigned log is a deadline step ("log_sign"): the
supervisors are reminded before it is due and told again after.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import SUPERVISOR

LOG_DEADLINE = "log_sign"
# Signed by noon of the next working day after the log's date.
SIGN_BY = dt.time(12, 0)
TO_SUPERVISORS = (f"role:{Role.SUPERVISOR}",)


def sign_due(log: "ManagementLog", now: dt.datetime) -> dt.datetime:
    """``allowed`` of the signing deadline: the next working day after the log's date, at noon."""
    from jinyuan.workflow.calendar import load_calendar

    calendar = load_calendar()
    day = log.date + dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, SIGN_BY, timezone.get_current_timezone())


class ManagementLog(DeadlineLinks, Application):
    """大厦管理日志 of one day. ``applicant``: who opened it (None: the scheduler)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting signature")
        SIGNED = "signed", _("Signed")

    audit_prefix = "management_log"
    event_labels = {
        "opened": _("Management log opened"),
        "remarks_written": _("Remarks written"),
    }
    deadlines = (
        DeadlineSpec(
            kind=LOG_DEADLINE,
            states=(Status.OPEN,),
            allowed=sign_due,
            steps=(
                Step(offset=-dt.timedelta(hours=3), to=TO_SUPERVISORS),
                Step(offset=dt.timedelta(hours=2), to=TO_SUPERVISORS, escalation=True),
            ),
        ),
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    date = models.DateField(_("date"), unique=True)
    building_remarks = models.TextField(_("state of the building"), max_length=2000, blank=True)
    manager_opinion = models.TextField(_("duty manager's opinion"), max_length=2000, blank=True)
    # The sections and carried items as they read when signed (see management_log_selectors).
    content = models.JSONField(_("signed content"), default=dict, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("management log")
        verbose_name_plural = _("management logs")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(signed_at__isnull=False, signed_by__isnull=False),
                name="management_log_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Management log')} {self.date:%Y-%m-%d}"

    @property
    def deadline_url(self) -> str:
        return reverse("desk:frontdesk:management_log_day", args=[self.date.isoformat()])

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.SIGNED,
        permission=SUPERVISOR,
        custom={"event": "signed", "event_label": _("Management log signed")},
    )
    def sign(self, by=None):
        pass
