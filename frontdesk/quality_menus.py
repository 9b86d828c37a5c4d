"""What quality checks add to the kernel's pages: the supervision menu's entries, the
dashboard's figures (quality score this month per department, open non-conformities) and
open/overdue work, the management log's events, timeline labels, who sees the photos and the
rectification deadline's name (registered from FrontdeskConfig.ready)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES

from . import quality_selectors
from .models import NonConformity, QualityCheck
from .models.quality import DEPARTMENT_ROLES, RECTIFICATION_DEADLINE, RESPONSIBLE_RECIPIENTS

SECTION = _("Quality")


def can_view_check_photos(user: Any, record: Any) -> bool:
    return user.has_role(*DESK_ROLES)


def can_view_nonconformity_photos(user: Any, record: Any) -> bool:
    return quality_selectors.nonconformities_for(user).filter(pk=record.pk).exists()


def responsible_recipients(model: type, records) -> dict[int, list[int]]:
    """Each non-conformity's responsible person, else the active staff of its department's role
    (the desk and supervisors follow the cleaning contractor's): one query per scan batch."""
    from django.contrib.auth import get_user_model

    roles = {
        DEPARTMENT_ROLES[r.department] for r in records if not r.responsible_id and r.department in DEPARTMENT_ROLES
    }
    by_role: dict[str, list[int]] = {}
    if roles:
        rows = get_user_model().objects.filter(is_active=True, groups__name__in=roles).values_list("groups__name", "pk")
        for role, pk in rows:
            by_role.setdefault(role, []).append(pk)
    return {
        r.pk: [r.responsible_id] if r.responsible_id else by_role.get(DEPARTMENT_ROLES.get(r.department, ""), [])
        for r in records
    }


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.workflow import labels
    from jinyuan.workflow.deadlines import register_deadline_kind, register_recipients

    register_deadline_kind(RECTIFICATION_DEADLINE, gettext_noop("Rectification"))
    register_recipients(RESPONSIBLE_RECIPIENTS, responsible_recipients)
    attachment_access.register(QualityCheck, can_view_check_photos)
    attachment_access.register(NonConformity, can_view_nonconformity_photos)
    labels.register("check_sheet", actions={"versioned": _("New version of the check sheet")})
    labels.register_data(
        {
            "total": _("Total score"),
            "failed_items": _("Non-conforming items"),
            "location": _("Area / location"),
            "check": _("Quality check"),
            "responsible": _("Responsible person"),
            "due": _("Rectify by"),
        }
    )
    nav.register_desk(
        nav.DeskEntry(_("Record a quality check"), "desk:frontdesk:quality_check_start", nav.SUPERVISION, order=60),
        nav.DeskEntry(_("Quality checks"), "desk:frontdesk:quality_check_list", nav.SUPERVISION, order=61),
        nav.DeskEntry(_("Non-conformities"), "desk:frontdesk:nonconformity_list", nav.SUPERVISION, order=62),
        nav.DeskEntry(_("Quality scores"), "desk:frontdesk:quality_scores", nav.SUPERVISION, order=63),
    )
    nav.register_figure(
        nav.Figure(
            "quality_scores",
            _("Quality score by department"),
            quality_selectors.department_series_now,
            order=120,
            url="desk:frontdesk:quality_scores",
            month=quality_selectors.department_series,
            section=SECTION,
        ),
        nav.Figure(
            "quality_open_nonconformities",
            _("Open non-conformities"),
            quality_selectors.open_nonconformities,
            order=121,
            url="desk:frontdesk:nonconformity_list",
            query="status=open",
            section=SECTION,
        ),
    )
    nav.register_work(
        nav.Work(NonConformity, _("Non-conformities"), "desk:frontdesk:nonconformity_list", "due=overdue", order=120)
    )
    nav.register_log_events(
        "quality",
        label=_("Quality checks"),
        codes=("quality_check.submitted", "nonconformity.opened", "nonconformity.closed"),
    )
