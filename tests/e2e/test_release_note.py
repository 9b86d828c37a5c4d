"""A company applies for a release note on a phone, the desk approves it, a guard at the
loading dock releases the goods from the QR page on a phone, and a second scan says when and by
whom the note was used."""

import re

import pytest
from django.utils import timezone

from jinyuan.documents.models import Document
from permits.models import ReleaseNote
from tests.permits.release_data import carrier_id

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, guard, tenant_a_admin):
    for user in (desk, guard, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, guard, tenant_a_admin


def test_release_note_from_application_to_a_second_scan(new_page, people, tenant_a):
    desk, guard, tenant_admin = people

    # The company's admin, on a phone, applies: an empty form shows errors and saves nothing.
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/release-notes/new/")
    phone.fill("input[name=date]", "")
    submit(phone, "main button[type=submit]")
    assert phone.locator(".invalid-feedback, .is-invalid").count() > 0
    assert phone.locator("#items-errors").count() == 1  # no item listed
    assert not ReleaseNote.objects.exists()
    phone.fill("input[name=date]", timezone.localdate().isoformat())
    phone.fill("input[name=items-0-name]", "办公桌")
    phone.fill("input[name=items-0-quantity]", "4")
    phone.fill("input[name=items-1-name]", "文件柜")
    phone.fill("input[name=items-1-quantity]", "2")
    phone.fill("input[name=vehicle_plate]", "桂A12345")
    phone.fill("input[name=carrier_name]", "黄师傅")
    phone.fill("input[name=carrier_id_number]", carrier_id())
    submit(phone, "main button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/release-notes/\d+/$"))
    note = ReleaseNote.objects.get()
    assert note.status == "submitted" and len(note.items) == 2
    assert phone.locator(".next-step").count() == 1

    # The desk finds it waiting and approves it: the paper gets its number.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/release-notes/?status=submitted")
    submit(clerk, f"a[href='/desk/release-notes/{note.pk}/']")
    assert clerk.locator("#arrears-h").count() == 1  # the company's arrears, seen before approving
    submit(clerk, "button[value=approve]")
    note.refresh_from_db()
    assert note.status == "issued"
    number = note.document.number
    assert re.fullmatch(r"FX-\d{4}-00001", number) and number in clerk.content()
    pdf = clerk.request.get(f"/desk/release-notes/{note.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The company's phone now shows the note's QR code, for the carrier to show at the exit.
    phone.goto(f"/portal/release-notes/{note.pk}/")
    assert phone.locator("#qr-h").count() == 1 and phone.locator("[role=img] svg").count() == 1

    # The guard scans the QR code on a phone: valid, the items to tick, then the release.
    dock = new_page(phone=True)
    login(dock, guard.username, PASSWORD)
    verify = note.document.verify_path
    dock.goto(verify)
    assert dock.locator(".alert-success").count() == 1
    assert "办公桌" in dock.content() and "黄师傅" in dock.content()
    dock.check("#item-0")
    dock.check("#item-1")
    submit(dock, "button[value=release]")
    note.refresh_from_db()
    assert note.status == "released" and note.released_by == guard
    assert Document.objects.get(pk=note.document_id).status == "used"

    # A second scan of the same paper: used, when and by whom, in large letters; no release button.
    dock.goto(verify)
    verdict = dock.locator(".verdict")
    assert verdict.count() == 1 and "alert-secondary" in verdict.get_attribute("class")
    used_at = timezone.localtime(note.released_at).strftime("%Y-%m-%d %H:%M")
    text = verdict.inner_text()
    assert used_at in text and str(guard) in text
    assert dock.locator("button[value=release]").count() == 0

    # The company sees the goods left.
    phone.goto(f"/portal/release-notes/{note.pk}/")
    assert "badge-state-released" in phone.content()
