"""Billing's items on the move-in and move-out checklists, and the bills that tenants' events
cause (signboard production, damage found at move-out)."""

from decimal import Decimal
from typing import Any

from django.db.models import F, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinyuan.templatetags.money import format_money
from tenants import checklists, signals
from tenants.checklists import ChecklistItem, ItemState

from . import selectors
from .models import ZERO, Bill, DepositEntry, FeeItem
from .services import LineSpec, bill_create, month_end, property_fee_lines

MONTHLY = (FeeItem.Kind.AREA_MONTHLY, FeeItem.Kind.FIXED_MONTHLY)


def movein_key(move_in: Any) -> str:
    return f"movein:{move_in.pk}"


def first_charge_lines(move_in: Any) -> list[LineSpec]:
    """Fees from the lease start to the end of that month (prorated by day), and the deposits."""
    lines: list[LineSpec] = []
    start = move_in.start_date
    end = month_end(start)
    if move_in.lease_end:
        end = min(end, move_in.lease_end)
    items = list(FeeItem.objects.filter(is_active=True, at_move_in=True).order_by("kind", "pk"))
    for row in move_in.units.select_related("unit"):
        for item in items:
            if item.kind == FeeItem.Kind.AREA_MONTHLY:
                lines += property_fee_lines(item, row.unit, start, end)
    for item in items:
        if item.kind == FeeItem.Kind.FIXED_MONTHLY:
            days = (end - start).days + 1
            share = Decimal(days) / Decimal(month_end(start).day)
            lines.append(
                LineSpec(
                    item,
                    f"{item.name} {start:%Y-%m}",
                    share.quantize(Decimal("0.0001")),
                    item.price,
                    None,
                    start,
                    end,
                    exact_amount=share * item.price,
                )
            )
        elif item.kind in (FeeItem.Kind.DEPOSIT, FeeItem.Kind.ONE_OFF):
            lines.append(LineSpec(item, item.name, Decimal(1), item.price))
    return lines


def bill_first_charges(*, move_in: Any, by: Any) -> Bill:
    return bill_create(
        tenant=move_in.tenant,
        title=_("Move-in charges %(date)s") % {"date": move_in.start_date.isoformat()},
        lines=first_charge_lines(move_in),
        by=by,
        source_key=movein_key(move_in),
    )


def first_charges(move_in: Any) -> ItemState:
    bill = (
        Bill.objects.filter(tenant_id=move_in.tenant_id, source_key=movein_key(move_in)).exclude(status="void").first()
    )
    if bill is None:
        return ItemState(
            False,
            action_url=reverse("desk:billing:movein_charges", args=[move_in.pk]),
            action_label=_("Bill first charges"),
        )
    if bill.status == Bill.Status.PAID:
        return ItemState(True, _("Bill %(number)s paid (CNY %(total)s)") % {"number": bill.number, "total": bill.total})
    return ItemState(
        False,
        _("Bill %(number)s: CNY %(due)s outstanding") % {"number": bill.number, "due": bill.outstanding},
        action_url=reverse("desk:billing:payment_new", args=[move_in.tenant_id])
        + "?"
        + urlencode({"bill": bill.pk, "next": reverse("desk:tenants:movein_detail", args=[move_in.pk])}),
        action_label=_("Record payment"),
    )


def bills_settled(move_out: Any) -> ItemState:
    open_bills = Bill.objects.filter(tenant_id=move_out.tenant_id, status__in=["open", "partly_paid"])
    owed = open_bills.aggregate(s=Sum(F("total") - F("paid")))["s"] or ZERO
    if owed == ZERO:
        return ItemState(True, _("No balance outstanding"))
    return ItemState(
        False,
        _("CNY %(owed)s outstanding on %(n)d bills") % {"owed": owed, "n": open_bills.count()},
        action_url=reverse("desk:billing:account", args=[move_out.tenant_id]),
        action_label=_("Open the account"),
    )


def deposit_settled(move_out: Any) -> ItemState:
    if DepositEntry.objects.filter(tenant_id=move_out.tenant_id, source_key=f"moveout:{move_out.pk}").exists():
        return ItemState(True, _("Deposit settled for the units leaving"))
    due = selectors.deposit_due(move_out)
    if due == ZERO:
        return ItemState(True, _("No deposit held"))
    return ItemState(
        False,
        _("%(due)s of the deposit to settle") % {"due": format_money(due)},
        action_url=reverse("desk:billing:moveout_deposit", args=[move_out.pk]),
        action_label=_("Settle the deposit"),
    )


def _bill_signboard(sender, signboard, by, **kwargs) -> None:
    item = FeeItem.objects.filter(code="signboard", is_active=True).first()
    if item is None or item.price == ZERO:
        return
    bill_create(
        tenant=signboard.tenant,
        title=_("Signboard: %(text)s") % {"text": signboard.text},
        lines=[LineSpec(item, f"{item.name}：{signboard.text}", Decimal(1), item.price)],
        by=by,
        source_key=f"signboard:{signboard.pk}",
    )


def _bill_damage(sender, row, by, **kwargs) -> Bill:
    item = FeeItem.objects.filter(code="damage").first() or FeeItem.objects.create(
        code="damage", name=_("Damage compensation"), kind=FeeItem.Kind.ONE_OFF, price=ZERO
    )
    return bill_create(
        tenant=row.move_out.tenant,
        title=_("Damage found at move-out: %(unit)s") % {"unit": row.unit.number},
        lines=[LineSpec(item, row.damage[:120] or item.name, Decimal(1), row.damage_charge, row.unit)],
        by=by,
        source_key=f"moveout-damage:{row.pk}",
    )


def register() -> None:
    checklists.register(
        checklists.MOVE_IN,
        ChecklistItem("first_charges", gettext_lazy("First charges billed and paid"), 30, first_charges),
    )
    checklists.register(
        checklists.MOVE_OUT,
        ChecklistItem("bills_settled", gettext_lazy("Every bill settled"), 10, bills_settled),
    )
    checklists.register(
        checklists.MOVE_OUT,
        ChecklistItem("deposit", gettext_lazy("Deposit refunded (less deductions)"), 90, deposit_settled),
    )
    signals.signboard_approved.connect(_bill_signboard, dispatch_uid="billing.signboard")
    signals.move_out_damage_recorded.connect(_bill_damage, dispatch_uid="billing.damage")
