"""The temporary-power permit as a document kind of the kernel: posted at the distribution
board; a guard (or anyone) scanning it sees the place, period and load, a logged-in guard the
permit's state as it is now."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name, mask_phone
from jinyuan.documents.registry import FAULT_FOUND, SPOT_CHECK, DocumentKind

from .documents import ISSUER, _date


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def power_permit_data(permit) -> dict:
    """What the paper says, frozen at approval (Chinese whatever the engineer's language)."""
    return {
        "company": permit.tenant.name,
        "place": permit.place,
        "purpose": permit.purpose,
        "load": f"{permit.load_kw}",
        "voltage": f"{permit.voltage} V",
        "phases": "三相" if permit.phases == 3 else "单相",
        "period": f"{_when(permit.starts_at)} 至 {_when(permit.ends_at)}",
        "electrician": permit.electrician_name,
        "certificate_number": permit.certificate_number,
        "certificate_expiry": _date(permit.certificate_expiry),
        "phone": permit.phone,
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


def power_guard_details(document) -> dict:
    """For a logged-in guard: the permit's state now (switched on? overdue?), read from the record."""
    from .models import TemporaryPower

    permit = TemporaryPower.objects.filter(pk=document.object_id).only("status", "ends_at", "switched_on_at").first()
    fields = []
    if permit is not None:
        state = permit.get_status_display()
        if permit.is_overdue:
            overdue = _("overdue: to switch off")
            state = f"{state} · {overdue}"
        fields = [(_("State"), state), (_("Switched on at"), _when(permit.switched_on_at))]
    return {"photo_url": "", "fields": fields}


def revoke_power_permit(document, by, reason: str) -> None:
    """The kind's revoke hook (the admin's document action): withdrawn through the workflow
    while it can be; otherwise only the paper."""
    from jinyuan.documents.services import document_revoke

    from .models import TemporaryPower
    from .temporary_power import power_withdraw

    permit = TemporaryPower.objects.select_related("tenant", "document").get(pk=document.object_id)
    if permit.status in (TemporaryPower.Status.APPROVED, TemporaryPower.Status.INSPECTED):
        power_withdraw(obj=permit, by=by, note=reason)
    else:
        document_revoke(document=document, by=by, reason=reason)


TEMPORARY_POWER_PERMIT = DocumentKind(
    code="temporary_power_permit",
    prefix="LD",
    title=_("Temporary-power permit"),
    template="permits/temporary_power/pdf.html",
    build_data=power_permit_data,
    verify_fields=(
        ("company", _("Company")),
        ("place", _("Location")),
        ("load", _("Load (kW)")),
        ("voltage", _("Voltage")),
        ("period", _("Period")),
        ("electrician", _("Electrician"), mask_name),
        ("phone", _("Phone"), mask_phone),
    ),
    gate_actions=(SPOT_CHECK, FAULT_FOUND),
    revoke=revoke_power_permit,
    guard_details=power_guard_details,
)
