"""The renovation permit 装修许可证 as a document kind of the kernel."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name, mask_phone
from jinyuan.documents.registry import RECORD_CHECK, REFUSE, DocumentKind

ISSUER = "广西南宁福源物业管理有限公司（金源CBD现代城服务中心）"


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def permit_data(renovation) -> dict:
    """What the paper says, frozen at issue."""
    unit = renovation.unit
    building = unit.floor.building
    return {
        "company": renovation.tenant.name,
        "building": building.name,
        "unit": unit.number,
        "area": str(unit.area),
        "contractor": renovation.contractor_name,
        "contractor_person": renovation.contractor_person,
        "contractor_phone": renovation.contractor_phone,
        "fire_safety_person": renovation.fire_safety_person,
        "work_items": "、".join(renovation.work_items),
        "valid_from": _date(renovation.granted_start),
        "valid_until": _date(renovation.granted_end),
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


RENOVATION_PERMIT = DocumentKind(
    code="renovation_permit",
    prefix="ZX",
    title=_("Renovation permit"),
    template="renovation/pdf/renovation_permit.html",
    build_data=permit_data,
    verify_fields=(
        ("company", _("Company")),
        ("building", _("Building")),
        ("unit", _("Unit")),
        ("contractor", _("Contractor")),
        ("contractor_person", _("Person in charge"), mask_name),
        ("contractor_phone", _("Phone"), mask_phone),
        ("work_items", _("Work items")),
        ("valid_from", _("Valid from")),
        ("valid_until", _("Valid until")),
    ),
    # Posted at the door: a guard records that it was seen, or refuses entry.
    gate_actions=(RECORD_CHECK, REFUSE),
)


def order_data(order) -> dict:
    renovation = order.renovation
    unit = renovation.unit
    inspection = order.inspection
    return {
        "company": order.tenant.name,
        "building": unit.floor.building.name,
        "unit": unit.number,
        "permit": renovation.permit.number if renovation.permit_id else "",
        "contractor": renovation.contractor_name,
        "department": {"engineering": "工程部", "security": "秩序部"}.get(inspection.department, ""),
        "inspected_on": _date(timezone.localtime(inspection.inspected_at)),
        "findings": inspection.findings,
        "requirement": order.requirement,
        "due_on": _date(order.due_on),
        "issued_on": _date(timezone.localdate()),
        "issuer": ISSUER,
    }


RECTIFICATION_ORDER = DocumentKind(
    code="rectification_order",
    prefix="ZG",
    title=_("Rectification order"),
    template="renovation/pdf/rectification_order.html",
    build_data=order_data,
    verify_fields=(
        ("company", _("Company")),
        ("unit", _("Unit")),
        ("requirement", _("What must be rectified")),
        ("due_on", _("Rectify by")),
    ),
)
