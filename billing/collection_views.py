"""The collection dashboard 收缴 (finance and the supervisor): the page with its charts and
tables, and the same tables as Excel. Thin: the figures come from billing.collection."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import Role
from jinyuan.lists import SUM, Column, xlsx_sheets_response

from . import collection as sel
from .collection_forms import CollectionForm

COLLECTION_ROLES = (Role.FINANCE, Role.SUPERVISOR)
AGING_PAGE_SIZE = 25


def bucket_labels() -> list[str]:
    return [
        _("%(first)d–%(last)d days") % {"first": 0 if first == 1 else first, "last": last}
        if last is not None
        else _("Over %(days)d days") % {"days": first - 1}
        for first, last in sel.BUCKETS
    ]


class CollectionMixin(StaffRequiredMixin):
    """``?month=YYYY-MM&building=<id>``: a bad value is a field error on the picker, and the
    default (this month, all buildings) is shown in its place."""

    roles = COLLECTION_ROLES

    def load(self, request, *args, **kwargs) -> None:
        self.buildings = sel.buildings()
        asked = any(request.GET.get(name) for name in ("month", "building"))
        self.form = CollectionForm(request.GET if asked else None, buildings=self.buildings)
        self.month, self.building = self.form.chosen()
        self.building_id = self.building.pk if self.building else None

    def query(self, **extra: Any) -> str:
        params = {"month": f"{self.month:%Y-%m}"}
        if self.building:
            params["building"] = str(self.building.pk)
        return urlencode({**params, **extra})

    def dashboard(self, **kwargs: Any) -> sel.Dashboard:
        return sel.dashboard(self.month, building=self.building, buildings_list=self.buildings, **kwargs)


class CollectionView(CollectionMixin, TemplateView):
    template_name = "billing/collection/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dash = self.dashboard()
        rows = sel.CountedRows(sel.aging_by_tenant(dash.today, self.building_id), dash.aging.tenants)
        page = Paginator(rows, AGING_PAGE_SIZE).get_page(self.request.GET.get("page"))
        labels = bucket_labels()
        ctx.update(
            form=self.form,
            dash=dash,
            month=self.month,
            building=self.building,
            buckets=labels,
            aging_totals=list(zip(labels, dash.aging.buckets, strict=True)),
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            querystring=self.query(),
            export_url=f"{reverse('desk:billing:collection_export')}?{self.query()}",
            charts=chart_data(dash, labels),
            debtors=[(d, sel.percent(d["total"], dash.aging.total)) for d in dash.debtors],
            promise_lists=[
                (
                    "due-title",
                    _("Promises to pay due in the next %(days)d days") % {"days": sel.PROMISE_DAYS},
                    dash.due,
                    _("No promise falls due."),
                ),
                (
                    "broken-title",
                    _("Broken promises (last %(days)d days)") % {"days": sel.BROKEN_DAYS},
                    dash.broken,
                    _("No promise was broken."),
                ),
            ],
        )
        return ctx


def chart_data(dash: sel.Dashboard, labels: list[str]) -> dict:
    """What the charts draw (read from a json_script block; amounts as decimal strings, rates in
    per cent or None). The page's tables hold the same figures as text."""
    return {
        "months": [f"{row.month:%Y-%m}" for row in dash.months],
        "rate": [row.rate for row in dash.months],
        "rate_with_arrears": [row.rate_with_arrears for row in dash.months],
        "rate_label": _("Collection rate"),
        "rate_with_arrears_label": _("Including arrears"),
        "aging": {"labels": labels, "amounts": list(dash.aging.buckets)},
        "aging_label": _("Overdue (CNY)"),
    }


# --- Excel ---------------------------------------------------------------------------------------


def _rate_columns(first: Column) -> list[Column]:
    return [
        first,
        (pgettext("collection amount", "Billed"), lambda c: c.billed, SUM),
        (_("Collected by the month's end"), lambda c: c.collected, SUM),
        (_("Collection rate (%)"), lambda c: c.rate),
        (_("Collected to date"), lambda c: c.collected_to_date, SUM),
        (_("Rate to date (%)"), lambda c: c.rate_to_date),
        (_("Arrears at the month's start"), lambda c: c.arrears, SUM),
        (_("Collected on arrears in the month"), lambda c: c.arrears_collected, SUM),
        (_("Rate including arrears (%)"), lambda c: c.rate_with_arrears),
    ]


def _aging_columns() -> list[Column]:
    columns: list[Column] = [(_("Tenant"), lambda r: r["tenant__name"])]
    for index, label in enumerate(bucket_labels(), start=1):
        columns.append((label, lambda r, key=f"bucket{index}": r[key], SUM))
    return [
        *columns,
        (_("Total overdue"), lambda r: r["total"], SUM),
        (_("Overdue bills"), lambda r: r["bills"]),
        (_("Oldest due date"), lambda r: r["oldest_due"]),
    ]


def _promise_columns() -> list[Column]:
    return [
        (_("Tenant"), lambda c: c.tenant.name),
        (_("Promised to pay by"), lambda c: c.promise_date),
        (_("Person spoken to"), lambda c: c.person),
        (_("Method"), lambda c: c.get_method_display()),
        (_("Contacted at"), lambda c: c.contacted_at),
        (_("Recorded by"), lambda c: str(c.recorded_by)),
        (_("Overdue now"), lambda c: c.overdue, SUM),
        (_("Note"), lambda c: c.note),
    ]


def workbook_sheets(dash: sel.Dashboard, aging_rows) -> list[tuple[Any, Sequence[Column], Any]]:
    """Every table of the page as a sheet (the aging with every tenant, not one page)."""
    place = dash.building.name if dash.building else _("All buildings")
    return [
        (
            _("Collection rate by month"),
            _rate_columns((_("Month"), lambda c: f"{c.month:%Y-%m}")),
            dash.months,
        ),
        (
            _("Collection rate by building"),
            _rate_columns((_("Building"), lambda r: r.building.name if r.building else _("No building"))),
            [_Flat(r) for r in dash.per_building],
        ),
        (_("Aging by tenant"), _aging_columns(), aging_rows),
        (
            _("Largest debtors"),
            [
                *_aging_columns()[:1],
                (_("Total overdue"), lambda r: r["total"]),
                (_("Overdue bills"), lambda r: r["bills"]),
                (_("Oldest due date"), lambda r: r["oldest_due"]),
                (_("Last contact"), lambda r: r["last_contact"]),
            ],
            dash.debtors,
        ),
        (
            _("Reminders sent"),
            [
                (_("Step"), lambda s: s.step.name),
                (_("Days from the due date"), lambda s: s.step.offset_days),
                (_("Bills reminded"), lambda s: s.bills, SUM),
                (_("People told"), lambda s: s.recipients, SUM),
            ],
            dash.reminders,
        ),
        (_("Promises due"), _promise_columns(), dash.due.rows),
        (_("Broken promises"), _promise_columns(), dash.broken.rows),
        (
            _("About"),
            [(_("Figure"), lambda r: r[0]), (_("Value"), lambda r: r[1])],
            [(_("Month"), f"{dash.month:%Y-%m}"), (_("Building"), place), (_("Aging as of"), dash.today)],
        ),
    ]


class _Flat:
    """A building's row read like a month's (its figures' fields and rates), plus the building."""

    def __init__(self, row: sel.BuildingCollection):
        self.building = row.building
        self._figures = row.figures

    def __getattr__(self, name: str) -> Any:
        return getattr(self._figures, name)


class CollectionExportView(CollectionMixin, View):
    """The page's tables as one workbook, a sheet each."""

    def get(self, request, *args, **kwargs):
        dash = self.dashboard(promises_limit=None)
        title = _("Collection %(month)s") % {"month": f"{self.month:%Y-%m}"}
        aging = sel.aging_by_tenant(dash.today, self.building_id)
        return xlsx_sheets_response(title, workbook_sheets(dash, aging))
