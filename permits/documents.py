"""The premises certificate and the worker pass badge as document kinds of the kernel."""

import base64

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_id_number, mask_name
from jinyuan.documents.registry import RECORD_CHECK, REFUSE, DocumentKind, GateAction
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


# --- the worker pass badge 施工人员出入证 -----------------------------------------------------------


def worker_pass_data(worker_pass) -> dict:
    """What the badge says, frozen at issue. The ID number is printed masked: the whole number
    stays on the pass record, for security and the desk."""
    renovation = worker_pass.renovation
    unit = renovation.unit
    return {
        "name": worker_pass.worker_name,
        "id_number": mask_id_number(worker_pass.id_number),
        "trade": str(worker_pass.get_trade_display()),
        "certificate_number": worker_pass.certificate_number,
        "contractor": renovation.contractor_name,
        "company": renovation.tenant.name,
        "building": unit.floor.building.name,
        "unit": unit.number,
        "valid_until": _date(worker_pass.valid_until),
        "issued_on": _date(timezone.localdate()),
        "issuer": "金源CBD现代城服务中心",
    }


def _photo_of(document):
    from jinyuan.attachments.models import Attachment
    from jinyuan.records import of_record

    from .models import WorkerPass

    # The document points at its pass by (content type, id); the photo hangs on the pass.
    pass_record = WorkerPass(pk=document.object_id)
    return (
        of_record(Attachment.objects.all(), pass_record)
        .filter(kind="photo", voided_at__isnull=True, purged_at__isnull=True)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def photo_data_uri(photo) -> str:
    """The photo's thumbnail (320 px, enough for 20 × 26 mm at 300 dpi) as a data URI: the
    PDF fetches nothing."""
    if photo is None:
        return ""
    stored = photo.thumbnail or photo.file
    try:
        with stored.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    mime = "image/jpeg" if photo.thumbnail else photo.content_type_sniffed
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def badge_pdf_context(document) -> dict:
    from jinyuan.documents.pdf import qr_img

    return {"photo": photo_data_uri(_photo_of(document)), "qr": qr_img(document.verify_url)}


def badge_guard_details(document) -> dict:
    """For a logged-in guard: the photo on file and the worker's name and company unmasked."""
    photo = _photo_of(document)
    data = document.data
    return {
        "photo_url": reverse("attachments:thumbnail", args=[photo.pk]) if photo and photo.thumbnail else "",
        "fields": [
            (_("Worker"), data.get("name", "")),
            (_("Contractor"), data.get("contractor", "")),
            (_("Company"), data.get("company", "")),
            (_("Trade"), data.get("trade", "")),
        ],
    }


def void_badge(document, by, reason: str) -> None:
    """The kind's revoke hook (the admin's document action): the pass's own workflow."""
    from .models import WorkerPass
    from .passes import worker_pass_void

    worker_pass = WorkerPass.objects.select_related("document").get(document=document)
    worker_pass_void(obj=worker_pass, by=by, note=reason)


WORKER_PASS = DocumentKind(
    code="worker_pass",
    prefix="SG",
    title=_("Worker pass"),
    template="permits/pdf/worker_pass.html",
    build_data=worker_pass_data,
    verify_fields=(
        ("name", _("Worker"), mask_name),
        ("trade", _("Trade")),
        ("contractor", _("Contractor")),
        ("building", _("Building")),
        ("unit", _("Unit")),
        ("valid_until", _("Valid until")),
    ),
    # Shown at every entry, not used up: the guard records the check, or refuses.
    gate_actions=(RECORD_CHECK, REFUSE),
    revoke=void_badge,
    pdf_context=badge_pdf_context,
    guard_details=badge_guard_details,
)


def badges_context(passes) -> dict:
    """A4 sheet of badges: each pass's current badge with its QR code and photo (the photos of
    all the passes in one query)."""
    from django.contrib.contenttypes.models import ContentType

    from jinyuan.attachments.models import Attachment
    from jinyuan.documents.pdf import qr_img

    from .models import WorkerPass

    passes = [p for p in passes if p.document_id]
    photos: dict[int, Attachment] = {}
    rows = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(WorkerPass),
            object_id__in=[p.pk for p in passes],
            kind="photo",
            voided_at__isnull=True,
            purged_at__isnull=True,
        )
        .only("object_id", "file", "thumbnail", "content_type_sniffed")
        .order_by("uploaded_at", "id")
    )
    for photo in rows:
        photos[photo.object_id] = photo  # the newest wins
    return {
        "badges": [
            {
                "doc": p.document,
                "data": p.document.data,
                "qr": qr_img(p.document.verify_url),
                "photo": photo_data_uri(photos.get(p.pk)),
            }
            for p in passes
        ]
    }


def badges_pdf(passes) -> bytes:
    """Print a batch of badges on A4 (two columns of five cards), Chinese whatever the clerk's language."""
    from django.utils import translation

    from jinyuan.documents.pdf import render_pdf

    with translation.override("zh-hans"):
        return render_pdf("permits/pdf/worker_badges.html", badges_context(passes))


# --- the release note 大件物品放行条 ---------------------------------------------------------------


def release_note_data(note) -> dict:
    """What the paper says, frozen at issue: the items are ticked from it at the exit. The
    carrier's ID number is printed masked; the whole number stays on the note."""
    units = "、".join(o.unit.number for o in current_occupancies_of(note.tenant))
    return {
        "company": note.tenant.name,
        "units": units,
        "date": _date(note.date),
        "purpose": str(note.get_purpose_display()),
        "items": [{"name": item["name"], "quantity": item["quantity"]} for item in note.items],
        "vehicle_plate": note.vehicle_plate,
        "carrier_name": note.carrier_name,
        "carrier_id_number": mask_id_number(note.carrier_id_number),
        "remarks": note.remarks,
        "issued_on": _date(timezone.localdate()),
        "issuer": "金源CBD现代城服务中心",
    }


def current_occupancies_of(tenant):
    from tenants.selectors import current_occupancies

    return current_occupancies(tenant).select_related("unit").order_by("unit__number")


def release_note_guard_details(document) -> dict:
    """For a logged-in guard: the carrier's name unmasked, to compare with the ID card shown."""
    data = document.data
    return {
        "photo_url": "",
        "fields": [
            (_("Company"), data.get("company", "")),
            (_("Carrier"), data.get("carrier_name", "")),
            (_("Vehicle plate"), data.get("vehicle_plate", "")),
        ],
    }


RELEASE = GateAction(
    "release",
    _("All items match: release the goods"),
    style="success",
    uses=True,
    ticks_items=True,
    takes_photo=True,
)
REFUSE_RELEASE = GateAction(
    "refuse",
    _("Goods do not match: refuse (a new note is needed)"),
    style="danger",
    needs_reason=True,
    on_valid_only=False,
)

RELEASE_NOTE = DocumentKind(
    code="release_note",
    prefix="FX",
    title=_("Large-item release note"),
    template="permits/pdf/release_note.html",
    build_data=release_note_data,
    verify_fields=(
        ("company", _("Company")),
        ("units", _("Unit")),
        ("date", _("Valid on")),
        ("purpose", _("Purpose")),
        ("vehicle_plate", _("Vehicle plate")),
        ("carrier_name", _("Carrier"), mask_name),
        ("carrier_id_number", _("Carrier's ID card number")),
    ),
    single_use=True,
    gate_actions=(RELEASE, REFUSE_RELEASE),
    on_use="permits.release_notes.release_note_release",
    on_refuse="permits.release_notes.release_note_refuse",
    revoke="permits.release_notes.revoke_from_admin",
    guard_details=release_note_guard_details,
)
