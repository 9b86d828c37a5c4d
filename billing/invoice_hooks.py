"""What VAT invoice requests 发票 add to the kernel: menus, the e-invoice's access rule, the
deadline kind and the desk home's panel (registered in BillingConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import MONEY_ROLES
from jinyuan.navigation import Panel


def can_view_invoice_files(user: Any, request: Any) -> bool:
    """The e-invoice: the money roles at the desk, and the company's members who open bills."""
    from tenants import grants

    from .hooks import BILLS

    if user.has_role(*MONEY_ROLES):
        return True
    return grants.member_may_open(user, request.tenant_id, BILLS)


def waiting_panel(user: Any) -> list[Panel]:
    from .invoice_models import INVOICE_ROLES, InvoiceRequest

    if not user.has_role(*INVOICE_ROLES):
        return []
    waiting = InvoiceRequest.objects.filter(status=InvoiceRequest.Status.REQUESTED).count()
    url = reverse("desk:billing:invoice_list")
    return [Panel(_("Invoices to issue"), waiting, f"{url}?status=requested", "warning")]


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.workflow.deadlines import register_deadline_kind

    from .invoice_models import InvoiceRequest

    attachment_access.register(InvoiceRequest, can_view_invoice_files)
    register_deadline_kind("invoice", gettext_noop("Invoice"))
    nav.register_panel(waiting_panel)
    nav.register_desk(nav.DeskEntry(_("Invoice requests"), "desk:billing:invoice_list", nav.BILLING, order=59))
    nav.register_portal(nav.PortalEntry(_("VAT invoices"), "portal:billing:invoice_list", order=23))
    nav.register_quick_link(
        nav.QuickLink(_("Request a VAT invoice"), "portal:billing:invoice_new", "file-earmark-text", order=11)
    )
