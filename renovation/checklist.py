"""What must be done before works start (``Renovation.start_works`` has it as its condition)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.models import Bill
from jinyuan.workflow.steps import Step, StepState

from .models import WORKS_START


def fees_paid(renovation: Any) -> StepState:
    bill = renovation.fees_bill
    if renovation.granted_start is None:
        return StepState(False, _("Billed on approval"))
    if bill is None:
        return StepState(True, _("No fees due"))
    if bill.status == Bill.Status.PAID:
        return StepState(True, _("Bill %(number)s paid (CNY %(total)s)") % {"number": bill.number, "total": bill.total})
    return StepState(
        False,
        _("Bill %(number)s: CNY %(due)s outstanding") % {"number": bill.number, "due": bill.outstanding},
        action_url=reverse("desk:billing:payment_new", args=[renovation.tenant_id])
        + "?"
        + urlencode({"bill": bill.pk, "next": reverse("desk:renovation:renovation_detail", args=[renovation.pk])}),
        action_label=_("Record payment"),
    )


def period_begun(renovation: Any) -> StepState:
    start = renovation.granted_start
    if start is None:
        return StepState(False, _("Granted on approval"))
    if start <= timezone.localdate():
        return StepState(True, _("Granted from %(date)s") % {"date": start.isoformat()})
    return StepState(False, _("Granted from %(date)s") % {"date": start.isoformat()})


def register() -> None:
    WORKS_START.register(Step("fees_paid", gettext_lazy("Fees billed and paid"), 10, fees_paid))
    WORKS_START.register(Step("period_begun", gettext_lazy("The granted period has begun"), 20, period_begun))


def no_live_renovation(move_out: Any) -> StepState:
    """Move-out: no renovation of the units leaving is unfinished (applied, approved, in works,
    stopped or waiting for acceptance); the last works were accepted, so the unit is as agreed."""
    from .models import Renovation

    unit_ids = move_out.units.values("unit_id")
    # One query: the unfinished renovations and the accepted ones of the leaving units.
    rows = list(
        Renovation.objects.filter(
            unit_id__in=unit_ids,
            tenant_id=move_out.tenant_id,
            status__in=[*Renovation.LIVE, Renovation.Status.ACCEPTED],
        )
        .select_related("unit")
        .order_by("pk")
    )
    live = next((r for r in rows if r.status in Renovation.LIVE), None)
    if live is not None:
        return StepState(
            False,
            _("Renovation of %(unit)s not finished: %(status)s")
            % {"unit": live.unit.number, "status": live.get_status_display()},
            action_url=reverse("desk:renovation:renovation_detail", args=[live.pk]),
            action_label=_("Open the renovation"),
        )
    if rows:
        return StepState(True, _("Renovation works accepted; no renovation in progress"))
    return StepState(True, _("No renovation in progress"))


def register_move_out() -> None:
    from tenants import checklists

    checklists.register(
        checklists.MOVE_OUT,
        checklists.ChecklistItem(
            "no_live_renovation",
            gettext_lazy("No renovation in progress, unit restored"),
            35,
            no_live_renovation,
        ),
    )
