"""The parking permit and the written payment reminder as document kinds of the kernel."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.registry import RECORD_CHECK, REFUSE, DocumentKind

from .documents import ISSUER, _date


def parking_permit_data(permit) -> dict:
    """What the permit paper says, frozen at issue (a renewal prints a new paper)."""
    return {
        "company": permit.tenant.name,
        "plate": permit.plate,
        "vehicle": " ".join(x for x in (permit.colour, permit.brand, permit.vehicle_model) if x),
        "new_energy": "新能源" if permit.is_new_energy else "",
        "space": str(permit.space) if permit.space_id else "不固定车位",
        "rental_type": str(permit.get_rental_type_display()),
        "valid_from": _date(permit.start),
        "valid_until": _date(permit.last_day),
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


def revoke_parking_permit(document, by, reason: str) -> None:
    """The kind's revoke hook (the admin's document action): the permit's own workflow."""
    from .models import ParkingPermit
    from .parking import parking_revoke

    permit = ParkingPermit.objects.select_related("tenant").get(pk=document.object_id)
    parking_revoke(obj=permit, by=by, note=reason)


PARKING_PERMIT = DocumentKind(
    code="parking_permit",
    prefix="TC",
    title=_("Parking permit"),
    template="permits/pdf/parking_permit.html",
    build_data=parking_permit_data,
    verify_fields=(
        ("plate", _("Plate number")),
        ("company", _("Company")),
        ("space", _("Space")),
        ("valid_from", _("Valid from")),
        ("valid_until", _("Valid until")),
    ),
    gate_actions=(RECORD_CHECK, REFUSE),
    revoke=revoke_parking_permit,
)


def payment_notice_data(permit) -> dict:
    """The written reminder: the permit's bills unpaid two weeks after issue (set on the permit
    by the service as ``notice_bills``), their amounts and the total."""
    from billing.models import ZERO

    bills = getattr(permit, "notice_bills", [])
    rows = [
        {
            "number": b.number,
            "title": b.title,
            "period": f"{_date(b.period_start)} 至 {_date(b.period_end)}" if b.period_start else "",
            "issued_on": _date(b.issued_on),
            "due_date": _date(b.due_date),
            "outstanding": f"{b.outstanding:.2f}",
        }
        for b in bills
    ]
    total = sum((b.outstanding for b in bills), ZERO)
    return {
        "company": permit.tenant.name,
        "plate": permit.plate,
        "bills": rows,
        "bill_numbers": [b.number for b in bills],
        "total": f"{total:.2f}",
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


PARKING_NOTICE = DocumentKind(
    code="parking_notice",
    prefix="CJ",
    title=_("Written payment reminder"),
    template="permits/pdf/parking_notice.html",
    build_data=payment_notice_data,
    verify_fields=(
        ("company", _("Company")),
        ("plate", _("Plate number")),
        ("total", _("Amount outstanding (CNY)")),
        ("issued_on", _("Issued on")),
    ),
)
