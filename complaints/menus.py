"""What the complaint pages add to the kernel's and tenants' pages (ComplaintsConfig.ready): the
desk and portal menus, the portal home's quick link, the desk home's panels and search, the
tenant page's panel, the management log's events."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jinyuan.accounts.roles import DESK_ROLES, Role

# Staff who answer a department's complaints (models.DEPARTMENT_ROLE; supervisors see all).
DEPARTMENT_STAFF = (Role.FRONT_DESK, Role.ENGINEERING, Role.SECURITY)


def desk_panels(user: Any) -> list:
    from jinyuan.navigation import Panel

    from . import selectors

    url = reverse("desk:complaints:complaint_list")
    panels = []
    if user.has_role(*DESK_ROLES):
        counts = selectors.desk_counts()
        panels += [
            Panel(_("Complaints to acknowledge"), counts["recorded"], f"{url}?status=recorded", "warning"),
            Panel(_("Complaints running late"), counts["overdue"], f"{url}?status=open&late=true", "danger"),
        ]
        if user.has_role(Role.SUPERVISOR):
            panels.append(Panel(_("Replies to approve"), counts["proposed"], f"{url}?status=proposed", "primary"))
            panels += report_panels()
    if user.has_role(*DEPARTMENT_STAFF):
        panels.append(Panel(_("Complaints to answer"), selectors.assigned_count(user), f"{url}?status=assigned"))
    return panels


def report_panels() -> list:
    """A monthly service report waiting for the supervisor's sign-off, linked to the oldest."""
    from jinyuan.navigation import Panel

    from . import selectors

    drafted = selectors.reports_to_sign()
    if not drafted:
        return []
    url = reverse("desk:complaints:statistics") + f"?month={drafted[0].month:%Y-%m}"
    return [Panel(_("Monthly reports to sign off"), len(drafted), url, "warning")]


def tenant_complaints(tenant: Any) -> Any:
    from jinyuan.navigation import RelatedPanel, RelatedRow

    from . import selectors
    from .models import Complaint

    rows = [
        RelatedRow(
            label=f"{c.number} · {c.category.name}",
            url=reverse("desk:complaints:complaint_detail", args=[c.pk]),
            status=c.get_status_display(),
            when=c.created_at,
        )
        for c in selectors.of_tenant(tenant)
    ]
    return RelatedPanel(
        title=Complaint._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:complaints:complaint_list") + "?" + urlencode({"q": tenant.name}),
    )


def _satisfaction(start: Any, end: Any) -> list[tuple[Any, float | None]]:
    """The return visits' satisfaction rate (satisfied and fairly satisfied of visits, per cent)
    of repairs and of complaints done in ``[start, end)``, as the monthly service statistics
    count it (complaints.statistics): one query."""
    from .statistics import _visits

    visits = _visits({"period": (start, end)})["period"]
    shares = [(_("Repairs"), visits["repairticket"].satisfaction), (_("Complaints"), visits["complaint"].satisfaction)]
    return [(label, None if share.value is None else round(share.value * 100, 1)) for label, share in shares]


def satisfaction_month(start: Any, end: Any) -> list[tuple[Any, float | None]]:
    """Over the calendar month ``[start, end)`` (dates), in the server's time zone."""
    from billing.collection import month_start

    return _satisfaction(month_start(start), month_start(end))


def satisfaction_now() -> list[tuple[Any, float | None]]:
    """This month so far."""
    import datetime as dt

    from django.utils import timezone

    from billing.collection import month_start

    start = month_start(timezone.localdate())
    return _satisfaction(start, start + dt.timedelta(days=32))


def satisfaction_trend(month: Any) -> list[tuple[Any, list[tuple[Any, float | None]]]]:
    """The satisfaction of repairs and of complaints in each of the twelve months ending with
    ``month``: one query (the return visits grouped by month in the server's time zone)."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from billing.collection import add_months, month_start, window
    from jinyuan.followups.models import FollowUp

    from .statistics import Share

    months = window(month)
    results = FollowUp.Result
    rows = (
        FollowUp.objects.filter(
            status=FollowUp.Status.DONE,
            done_at__gte=month_start(months[0]),
            done_at__lt=month_start(add_months(months[-1], 1)),
            content_type__app_label__in=("repairs", "complaints"),
            content_type__model__in=("repairticket", "complaint"),
        )
        .annotate(month=TruncMonth("done_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "content_type__model")
        .annotate(
            visits=Count("pk"),
            satisfied=Count("pk", filter=Q(result__in=(results.SATISFIED, results.FAIRLY_SATISFIED))),
        )
        .order_by()
    )
    found = {
        (timezone.localtime(row["month"]).date(), row["content_type__model"]): Share(row["satisfied"], row["visits"])
        for row in rows
    }

    def rate(share: Share | None) -> float | None:
        return None if share is None or share.value is None else round(share.value * 100, 1)

    labels = ((_("Repairs"), "repairticket"), (_("Complaints"), "complaint"))
    return [(m, [(label, rate(found.get((m, model)))) for label, model in labels]) for m in months]


def register() -> None:
    from jinyuan import navigation as nav

    from .models import Complaint, ServiceReport

    nav.register_panel(desk_panels)
    nav.register_figure(
        nav.Figure(
            "satisfaction",
            _("Satisfaction on return visits"),
            satisfaction_now,
            order=40,
            url="desk:complaints:statistics",
            month=satisfaction_month,
            trend=satisfaction_trend,
            unit="%",
            section=pgettext_lazy("dashboard section", "Service"),
        )
    )
    nav.register_work(
        nav.Work(
            Complaint,
            Complaint._meta.verbose_name_plural,
            "desk:complaints:complaint_list",
            overdue_query="late=true",
            order=60,
        ),
        nav.Work(ServiceReport, ServiceReport._meta.verbose_name_plural, "desk:complaints:statistics", order=61),
    )
    # The desk and supervisors read every complaint of a company; a department only its own.
    nav.register_related(tenant_complaints, roles=DESK_ROLES)
    nav.register_desk(
        nav.DeskEntry(_("Record a complaint"), "desk:complaints:complaint_new", nav.TENANT_SERVICES, order=35),
        nav.DeskEntry(_("Complaints"), "desk:complaints:complaint_list", nav.TENANT_SERVICES, order=36),
    )
    nav.register_portal(nav.PortalEntry(_("Complaints"), "portal:complaints:complaint_list", order=35))
    nav.register_quick_link(
        nav.QuickLink(_("Make a complaint"), "portal:complaints:complaint_new", "chat-left-text", order=35)
    )
    nav.register_search(
        nav.Search(
            _("Search complaints"),
            "desk:complaints:complaint_list",
            placeholder=_("Complaint number, content or company"),
            order=35,
        )
    )
    nav.register_log_events(
        "complaints",
        label=Complaint._meta.verbose_name_plural,
        codes=("complaint.recorded", "complaint.replied", "complaint.reopened", "complaint.cancelled"),
    )
