"""Helpers for the move-in, move-out, signboard and archive tests."""

import re
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from billing.checklist import bill_first_charges
from billing.services import payment_record
from jinyuan.workflow.services import transition
from tenants import checklists, services
from tenants.models import MoveIn
from tests.factories import tiny_image

PDF = b"%PDF-1.4\n% scanned licence\n"
# Real images: the archive's files are attachments, whose photos are decoded (and shrunk).
PNG = tiny_image("PNG")
JPEG = tiny_image("JPEG")
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
REQUIRED_DOCUMENTS = ("licence", "lease", "contact_id")
INVITE_LINK = re.compile(r"(/invite/[^/\s]+/[^/\s]+/)")


def upload(content: bytes = PDF, name: str = "scan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


def tenth_of_a_30_day_month() -> date:
    """The 10th of the latest 30-day month before this one: its first month is 21/30 of a month."""
    day = timezone.localdate().replace(day=1) - timedelta(days=1)
    while day.day != 30:
        day = day.replace(day=1) - timedelta(days=1)
    return day.replace(day=10)


def checklist_state(process) -> dict[str, bool]:
    name = checklists.MOVE_IN if isinstance(process, MoveIn) else checklists.MOVE_OUT
    process = type(process).objects.get(pk=process.pk)  # fresh rows, no stale prefetch
    return {row.item.code: row.state.done for row in checklists.evaluate(name, process)}


def finish_move_in(move_in: MoveIn, desk, *, signboard: bool = False):
    """Every move-in checklist item done through the services; returns the paid first-charges bill."""
    tenant = move_in.tenant
    for kind in REQUIRED_DOCUMENTS:
        services.archive_upload(tenant=tenant, kind=kind, upload=upload(), by=desk)
    services.movein_record_agreement(
        move_in=move_in, signed_on=move_in.start_date - timedelta(days=1), signer="黄丽", by=desk
    )
    for row in move_in.units.all():
        services.movein_record_handover(row=row, keys=3, by=desk)
        services.movein_record_inspection(row=row, water=100, electricity=2000, condition="完好", by=desk)
    if signboard:
        board_for(tenant, desk)
    else:
        services.movein_skip_signboard(move_in=move_in, by=desk)
    bill = bill_first_charges(move_in=move_in, by=desk)
    payment_record(tenant=tenant, amount=bill.total, method="bank", by=desk, bills=[bill])
    bill.refresh_from_db()
    return bill


def board_for(tenant, by, text: str | None = None, building=None, **kwargs):
    from tenants.models import Building

    building = building or Building.objects.order_by("code").first()
    return services.signboard_order(tenant=tenant, building=building, text=text or tenant.name, by=by, **kwargs)


def installed_board(tenant, desk, text: str | None = None, **kwargs):
    board = board_for(tenant, desk, text=text, **kwargs)
    if not board.text_matches_name:
        raise ValueError("give the registered name, or allow the mismatch first")
    services.signboard_approve(obj=board, by=desk)
    transition(board, "produce", by=desk)
    services.signboard_install(obj=board, by=desk)
    board.refresh_from_db()
    return board
