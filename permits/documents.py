"""The premises certificate as a document kind of the kernel."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.registry import RECORD_CHECK, REFUSE, DocumentKind
from tenants.selectors import occupancy_of, occupancy_since

ISSUER = "广西南宁福源物业管理有限公司（金源CBD现代城服务中心）"


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def certificate_data(cert) -> dict:
    """What the paper says, frozen at issue."""
    unit = cert.unit
    building = unit.floor.building
    occupancy = occupancy_of(cert.tenant, unit)
    return {
        "company": cert.tenant.name,
        "credit_code": cert.tenant.credit_code,
        "building": building.name,
        "address": building.address,
        "floor": unit.floor.number,
        "unit": unit.number,
        "area": formats.number_format(unit.area, 2),
        "since": _date(occupancy_since(cert.tenant, unit)),
        "until": _date(occupancy.last_day) if occupancy else "",
        "purpose": cert.purpose_text,
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


def revoke_certificate(document, by, reason: str) -> None:
    """The kind's revoke hook (the admin's document action): the certificate's own workflow,
    which revokes the request and its paper together."""
    from .models import PremisesCertificate
    from .services import certificate_revoke

    cert = PremisesCertificate.objects.select_related("tenant", "document").get(document=document)
    certificate_revoke(obj=cert, by=by, note=reason)


PREMISES_CERTIFICATE = DocumentKind(
    code="premises_certificate",
    prefix="CM",
    title=_("Premises certificate"),
    template="permits/pdf/premises_certificate.html",
    build_data=certificate_data,
    verify_fields=(
        ("company", _("Company")),
        ("building", _("Building")),
        ("unit", _("Unit")),
        ("area", _("Area (m²)")),
        ("since", _("Occupied since")),
        ("until", _("Occupied until")),
        ("purpose", _("Purpose")),
        ("issued_on", _("Issued on")),
    ),
    # A certificate is shown, not used up: the guard records that it was seen, or refuses.
    gate_actions=(RECORD_CHECK, REFUSE),
    revoke=revoke_certificate,
)
