"""The hot-work permit 动火作业许可证 as a document kind of the kernel."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name, mask_phone
from jinyuan.documents.registry import FAULT_FOUND, SPOT_CHECK, DocumentKind

from .documents import ISSUER, _date


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def hot_work_data(permit) -> dict:
    """What the paper says, frozen at issue: every field, the measures and the items of the
    on-site check (ticked on the paper too, beside the signatures)."""
    from .models.hot_work import Measure, SiteCheck

    unit = permit.unit
    start, end = timezone.localtime(permit.starts_at), timezone.localtime(permit.ends_at)
    measures = dict(Measure.choices)
    return {
        "company": permit.tenant.name,
        "building": unit.floor.building.name,
        "floor": str(unit.floor),
        "unit": unit.number,
        "part": permit.part,
        "place": f"{unit.floor.building.name} {unit.floor} {unit.number} · {permit.part}",
        "renovation": f"#{permit.renovation_id} {permit.renovation.contractor_name}" if permit.renovation_id else "",
        "work": permit.work,
        "method": str(permit.get_method_display()),
        "date": _date(start.date()),
        "window": f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
        "operator_name": permit.operator_name,
        "certificate_number": permit.certificate_number,
        "certificate_expiry": _date(permit.certificate_expiry),
        "fire_watch_name": permit.fire_watch_name,
        "fire_watch_phone": permit.fire_watch_phone,
        "area_m2": str(permit.area_m2),
        "extinguishers": permit.extinguishers,
        "measures": [str(measures.get(m, m)) for m in permit.measures],
        "checks": [str(label) for _code, label in SiteCheck.choices],
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


def hot_work_guard_details(document) -> dict:
    """For a logged-in guard: the permit as it is now (state, fire watch, the on-site check
    item by item), not only what was printed."""
    from .models import HotWorkPermit

    permit = HotWorkPermit.objects.only(
        "status", "fire_watch_name", "fire_watch_phone", "site_checks", "checked_at", "work_ended_at", "rechecked_at"
    ).get(pk=document.object_id)
    fields = [
        (_("Permit state"), str(permit.get_status_display())),
        (_("Window"), document.data.get("window", "")),
        (_("Place"), document.data.get("place", "")),
        (_("Fire watch"), f"{permit.fire_watch_name} {permit.fire_watch_phone}"),
    ]
    for label, done in permit.checks_done:
        fields.append((label, "✓" if done else "✗"))
    if permit.checked_at:
        fields.append((_("Checked on site at"), _time(permit.checked_at)))
    if permit.work_ended_at:
        fields.append((_("Work ended at"), _time(permit.work_ended_at)))
        fields.append((_("Recheck from"), _time(permit.recheck_from)))
    if permit.rechecked_at:
        fields.append((_("Site rechecked at"), _time(permit.rechecked_at)))
    return {"photo_url": "", "fields": fields}


HOT_WORK_PERMIT = DocumentKind(
    code="hot_work_permit",
    prefix="DH",
    title=_("Hot-work permit"),
    template="permits/pdf/hot_work_permit.html",
    build_data=hot_work_data,
    verify_fields=(
        ("company", _("Company")),
        ("place", _("Place")),
        ("work", _("Work")),
        ("method", _("Method")),
        ("window", _("Window")),
        ("fire_watch_name", _("Fire watch"), mask_name),
        ("fire_watch_phone", _("Fire watch's phone"), mask_phone),
        ("extinguishers", _("Extinguishers (2 kg)")),
    ),
    # Shown while the work runs, not used up: the guard records the check.
    gate_actions=(SPOT_CHECK, FAULT_FOUND),
    revoke="permits.hot_work.revoke_from_admin",
    guard_details=hot_work_guard_details,
)
