"""What billing adds to the kernel's and tenants' pages (registered in BillingConfig.ready)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import MONEY_ROLES
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import selectors
from .models import Bill

# The portal area of bills, payments, receipts and deposits (tenants.grants).
BILLS = "bills"


def overdue_bills() -> int:
    counts = Bill.objects.aggregate(
        overdue=Count(
            "pk",
            filter=Q(status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID], due_date__lt=timezone.localdate()),
        )
    )
    return counts["overdue"]


def _collection_rate(month: Any) -> float | None:
    """The collection rate of the bills issued in ``month``, by its end (billing.collection):
    one query."""
    from .collection import by_month, collection_rates

    rate = by_month(collection_rates(month, 1), [month])[0].rate
    return None if rate is None else float(rate)


def collection_rate_month(start: Any, end: Any) -> float | None:
    return _collection_rate(start)


def collection_rate_now() -> float:
    """This month's collection rate so far (0 before anything is billed)."""
    return _collection_rate(timezone.localdate().replace(day=1)) or 0.0


def arrears_total() -> Any:
    """What tenants owe on overdue bills today (the aging's total, principal): one query."""
    from .collection import aging_totals

    return aging_totals(timezone.localdate()).total


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(*MONEY_ROLES):
        return []
    url = reverse("desk:billing:bill_list")
    return [Panel(_("Overdue bills"), overdue_bills(), f"{url}?overdue=true", "danger")]


def tenant_bills(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{b.number} · {b.title} · ¥{b.total}",
            url=reverse("desk:billing:bill_detail", args=[b.pk]),
            status=b.get_status_display(),
            when=b.issued_on,
        )
        for b in selectors.bills_of(tenant)[:6]
    ]
    return RelatedPanel(title=_("Bills"), rows=rows, list_url=reverse("desk:billing:account", args=[tenant.pk]))


def register_navigation() -> None:
    # Roles come from the views (MONEY_ROLES): engineering and security see no billing menu.
    nav.register_desk(
        nav.DeskEntry(_("Bills"), "desk:billing:bill_list", nav.BILLING, order=51),
        nav.DeskEntry(_("Payments"), "desk:billing:payment_list", nav.BILLING, order=52),
        nav.DeskEntry(_("Deposits"), "desk:billing:deposit_list", nav.BILLING, order=53),
        nav.DeskEntry(_("Paid services"), "desk:billing:service_charge_list", nav.BILLING, order=54),
        nav.DeskEntry(_("Price list"), "desk:billing:price_list", nav.BILLING, order=55),
        nav.DeskEntry(_("Customers"), "desk:billing:customer_list", nav.BILLING, order=56),
        # Finance and the supervisor (the view's roles): the desk gets no entry.
        nav.DeskEntry(_("Collection dashboard"), "desk:billing:collection", nav.BILLING, order=58),
    )
    nav.register_portal(nav.PortalEntry(_("Bills"), "portal:billing:billing_home", order=20))
    nav.register_portal(nav.PortalEntry(_("Price list"), "portal:billing:price_list", order=21, area=""))
    nav.register_quick_link(
        nav.QuickLink(_("Bills, payments and deposits"), "portal:billing:billing_home", "receipt", order=10),
    )
    nav.register_figure(
        nav.Figure(
            "overdue_bills",
            _("Overdue bills"),
            overdue_bills,
            order=50,
            url="desk:billing:bill_list",
            query="overdue=true",
            section=_("Billing"),
        ),
        nav.Figure(
            "collection_rate",
            _("Collection rate"),
            collection_rate_now,
            order=51,
            url="desk:billing:collection",
            month=collection_rate_month,
            unit="%",
            section=_("Billing"),
        ),
        nav.Figure(
            "arrears",
            _("Arrears"),
            arrears_total,
            order=52,
            url="desk:billing:collection",
            unit="money",
            section=_("Billing"),
        ),
    )
    from .invoice_models import InvoiceRequest

    nav.register_work(
        nav.Work(InvoiceRequest, InvoiceRequest._meta.verbose_name_plural, "desk:billing:invoice_list", order=20)
    )
    nav.register_log_events(
        "billing",
        label=_("Billing"),
        codes=(
            *("bill.issued", "bill.voided", "bill.late_fee_waived", "payment.received", "tenant.deposit_refunded"),
            *("customer.created", "customer.deposit_refunded"),
        ),
    )


def register_checklist_items() -> None:
    """Move-in and move-out checklist items that billing owns (see tenants.checklists)."""
    from . import checklist

    checklist.register()
