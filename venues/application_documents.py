"""The event notice 活动通知 as a document kind of the kernel: printed for the organiser and the
guards, with a QR code to ``/verify/<code>/`` valid from the setup to the teardown's end."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name, mask_phone
from jinyuan.documents.registry import FAULT_FOUND, RECORD_CHECK, DocumentKind

ISSUER = "广西南宁福源物业管理有限公司（金源CBD现代城服务中心）"


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def notice_data(app) -> dict:
    """What the notice says, frozen at issue (the ID number of the person in charge is not
    printed: the guards need the name and the phone)."""
    spaces = [b.space.name for b in app.bookings.select_related("space").order_by("space__name")]
    return {
        "number": app.number,
        "title": app.title,
        "organiser": app.organiser or app.payer_name,
        "payer": app.payer_name,
        "person_in_charge": app.person_in_charge,
        "contact_phone": app.contact_phone,
        "spaces": "、".join(spaces),
        "window": app.window_text,
        "setup_from": _time(app.booked_from),
        "teardown_until": _time(app.booked_until),
        "attendance": app.expected_attendance,
        "purpose": app.purpose,
        "safety_measures": app.safety_measures,
        "emergency_plan": app.emergency_plan,
        "issued_on": timezone.localdate().strftime("%Y-%m-%d"),
        "issuer": ISSUER,
    }


def notice_guard_details(document) -> dict:
    """For a logged-in guard: the event as it is now (state, checks so far)."""
    from .models import VenueApplication

    app = VenueApplication.objects.only("status", "person_in_charge", "contact_phone").get(pk=document.object_id)
    return {
        "photo_url": "",
        "fields": [
            (_("State"), str(app.get_status_display())),
            (_("Person in charge"), f"{app.person_in_charge} {app.contact_phone}"),
            (_("Setup from"), document.data.get("setup_from", "")),
            (_("Teardown until"), document.data.get("teardown_until", "")),
        ],
    }


EVENT_NOTICE = DocumentKind(
    code="event_notice",
    prefix="HD",
    title=_("Event notice"),
    template="venues/pdf/event_notice.html",
    build_data=notice_data,
    verify_fields=(
        ("title", _("Event")),
        ("organiser", _("Organiser")),
        ("spaces", _("Spaces")),
        ("window", _("Use window")),
        ("setup_from", _("Setup from")),
        ("teardown_until", _("Teardown until")),
        ("attendance", _("Expected attendance")),
        ("person_in_charge", _("Person in charge"), mask_name),
        ("contact_phone", _("Contact phone"), mask_phone),
    ),
    # Shown while the event runs, not used up: the guard records the check.
    gate_actions=(RECORD_CHECK, FAULT_FOUND),
    guard_details=notice_guard_details,
)
