"""What billing adds to the kernel's and tenants' pages (registered in BillingConfig.ready)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import MONEY_ROLES
from jinyuan.dashboard import Panel
from tenants.extensions import RelatedPanel, RelatedRow

from . import selectors
from .models import Bill

# The portal area of bills, payments, receipts and deposits (tenants.grants).
BILLS = "bills"


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(*MONEY_ROLES):
        return []
    counts = Bill.objects.aggregate(
        overdue=Count(
            "pk",
            filter=Q(status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID], due_date__lt=timezone.localdate()),
        )
    )
    url = reverse("desk:bill_list")
    return [Panel(_("Overdue bills"), counts["overdue"], f"{url}?overdue=true", "danger")]


def tenant_bills(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{b.number} · {b.title} · ¥{b.total}",
            url=reverse("desk:bill_detail", args=[b.pk]),
            status=b.get_status_display(),
            when=b.issued_on,
        )
        for b in selectors.bills_of(tenant)[:6]
    ]
    return RelatedPanel(title=_("Bills"), rows=rows, list_url=reverse("desk:account", args=[tenant.pk]))


def register_checklist_items() -> None:
    """Move-in and move-out checklist items that billing owns (see tenants.checklists)."""
    from . import checklist

    checklist.register()
