"""The desk issues a worker pass from the renovation's workers page; a guard scans the badge on
a phone and sees the photo, the name, the company and the verdict, records the check; a
passer-by scanning the same code sees the verdict with the name masked and no photo."""

import pytest
from django.utils import timezone

from jinyuan.documents.models import GateCheck
from permits.models import WorkerPass
from tests.factories import tiny_image
from tests.permits.conftest import id_number
from tests.renovation.conftest import apply, make_renovation  # noqa: F401 (fixtures)

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def test_worker_pass_issued_at_the_desk_and_scanned_by_a_guard(new_page, make_renovation, desk, guard, tmp_path):  # noqa: F811
    renovation = make_renovation("in_works", planned_start=timezone.localdate())
    for user in (desk, guard):
        user.set_password(PASSWORD)
        user.save()
    picture = tmp_path / "worker.jpg"
    picture.write_bytes(tiny_image())

    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/renovations/{renovation.pk}/worker-passes/")
    clerk.click("a[href$='/worker-passes/new/']")
    clerk.wait_for_selector("input[name=worker_name]")
    clerk.fill("input[name=worker_name]", "李建军")
    clerk.fill("input[name=id_number]", id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1"))
    clerk.select_option("select[name=trade]", "carpenter")
    clerk.set_input_files("input[name=photo]", str(picture))
    submit(clerk, "main button[type=submit]")
    # A wrong check digit: the message beside the field, what was typed kept.
    assert clerk.locator("#id_id_number.is-invalid").count() == 1
    assert clerk.input_value("input[name=worker_name]") == "李建军"
    clerk.fill("input[name=id_number]", id_number(1))
    clerk.set_input_files("input[name=photo]", str(picture))
    submit(clerk, "main button[type=submit]")
    worker_pass = WorkerPass.objects.get()
    assert worker_pass.status == "issued"
    badge = clerk.request.get(f"/desk/worker-passes/{worker_pass.pk}/badge/")
    assert badge.ok and badge.body().startswith(b"%PDF")

    # The guard, on a phone, scans the badge's QR code.
    gate = new_page(phone=True)
    login(gate, guard.username, PASSWORD)
    gate.goto(worker_pass.document.verify_path)
    assert gate.locator(".alert-success").count() == 1
    photo = gate.locator("img.guard-photo")
    assert photo.count() == 1
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    details = gate.locator(".guard-details").inner_text()
    assert "李建军" in details and renovation.contractor_name in details and renovation.tenant.name in details
    submit(gate, "button[value=check]")
    assert GateCheck.objects.filter(document=worker_pass.document, result="done").count() == 1

    # Anyone else scanning it: the verdict, a masked name, no photo.
    passer_by = new_page(phone=True)
    passer_by.goto(worker_pass.document.verify_path)
    assert passer_by.locator(".alert-success").count() == 1
    assert "李*军" in passer_by.content() and "李建军" not in passer_by.content()
    assert passer_by.locator("img.guard-photo").count() == 0
