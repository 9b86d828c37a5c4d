"""What permits adds to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import STAFF_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import selectors
from .models import PremisesCertificate, WorkerPass

# Worker passes belong to the tenant's renovations: the portal area renovation registers.
RENOVATION_AREA = "renovation"


# Who sees a worker's whole ID number (desk pages and the admin); everyone else, and every
# export, sees it masked.
WHOLE_ID_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR, Role.SECURITY)


def shows_whole_id(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(*WHOLE_ID_ROLES))


def can_view_pass_files(user: Any, worker_pass: Any) -> bool:
    """A worker's photo: any staff role (the guard compares it with the face at the gate), or
    the company's members who may open its renovations."""
    return staff_or_member_with(user, worker_pass.tenant_id, RENOVATION_AREA)


def staff_or_member_with(user: Any, tenant_id: int, area: str) -> bool:
    """Any staff role, or a member of the record's company who may open the portal ``area``."""
    from tenants import grants
    from tenants.selectors import membership_for

    if user.has_role(*STAFF_ROLES):
        return True
    membership = membership_for(user)
    return membership is not None and membership.tenant_id == tenant_id and grants.may_open(membership, area)


def desk_panels(user: Any) -> list[Panel]:
    counts = selectors.waiting_counts(user)
    url = reverse("desk:permits:certificate_list")
    panels = [
        Panel(_("Certificate requests to check"), counts["submitted"], f"{url}?status=submitted", "warning"),
    ]
    if user.has_role(Role.SUPERVISOR):
        panels.append(Panel(_("Certificates to approve"), counts["checked"], f"{url}?status=checked", "danger"))
    return panels


def tenant_certificates(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{c.document.number if c.document else _('Request')} · {c.unit.number} · {c.purpose_text}",
            url=reverse("desk:permits:certificate_detail", args=[c.pk]),
            status=c.get_status_display(),
            when=c.created_at,
        )
        for c in selectors.certificates_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=PremisesCertificate._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:certificate_list") + f"?q={tenant.name}",
    )


def certificates_waiting() -> int:
    """Requests waiting for the desk's check or the supervisor's approval."""
    counts = selectors.waiting_counts(None)
    return counts["submitted"] + counts["checked"]


def register_navigation() -> None:
    nav.register_desk(
        nav.DeskEntry(_("Premises certificates"), "desk:permits:certificate_list", nav.TENANT_SERVICES, order=30),
    )
    nav.register_portal(nav.PortalEntry(_("Premises certificates"), "portal:permits:certificate_list", order=30))
    nav.register_desk(
        nav.DeskEntry(_("Worker passes"), "desk:permits:worker_pass_list", nav.TENANT_SERVICES, order=45),
    )
    nav.register_portal(nav.PortalEntry(_("Worker passes"), "portal:permits:worker_pass_list", order=45))
    nav.register_quick_link(
        nav.QuickLink(_("Our premises certificates"), "portal:permits:certificate_list", "list-check", order=20),
        nav.QuickLink(
            _("Request a premises certificate"), "portal:permits:certificate_new", "file-earmark-check", order=30
        ),
    )
    nav.register_figure(nav.Figure("certificates_waiting", _("Certificates waiting"), certificates_waiting, order=60))
    nav.register_log_events(
        "permits",
        label=PremisesCertificate._meta.verbose_name_plural,
        codes=("certificate.approved", "certificate.revoked"),
    )
    nav.register_log_events(
        "worker_passes",
        label=WorkerPass._meta.verbose_name_plural,
        codes=("worker_pass.issued", "worker_pass.lost", "worker_pass.reissued", "worker_pass.returned"),
    )
