"""What permits adds to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import Role
from jinyuan.dashboard import Panel
from tenants.extensions import RelatedPanel, RelatedRow

from . import selectors
from .models import PremisesCertificate


def desk_panels(user: Any) -> list[Panel]:
    counts = selectors.waiting_counts(user)
    url = reverse("desk:certificate_list")
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
            url=reverse("desk:certificate_detail", args=[c.pk]),
            status=c.get_status_display(),
            when=c.created_at,
        )
        for c in selectors.certificates_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=PremisesCertificate._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:certificate_list") + f"?q={tenant.name}",
    )
