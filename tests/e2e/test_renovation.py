"""The walk of issue 8, a renovation from the tenant's application to acceptance: the tenant
applies with its drawings in the portal, engineering and security review, the supervisor
approves, the fees are paid at the desk, works start and the permit is printed; the desk
issues a worker pass and a guard scans the badge on a phone (photo, name, company, verdict)
and records the check; an inspection finds a violation and issues a rectification order, a
re-inspection closes it; the tenant asks for acceptance and both departments pass it.

(The worker pass's own walk was merged here: one walk per issue. What it checked besides -
a wrong check digit beside the field with what was typed kept, the public verdict with the
name masked and no photo - is in tests/permits/test_worker_pass_views.py and
test_worker_pass_gate.py.)"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from billing.models import Bill
from jinyuan.documents.models import GateCheck
from permits.models import WorkerPass
from renovation.models import RectificationOrder, Renovation
from tests.factories import MINIMAL_PDF, tiny_image
from tests.permits.conftest import id_number

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"
FILES = ("licence", "drawing_plan", "drawing_electrical", "drawing_fire", "undertaking", "agreement")


@pytest.fixture
def people(desk, supervisor, engineer, guard, tenant_a_admin):
    # Transactional tests flush the tables: the price list and renovation fee tables again.
    import_module("billing.migrations.0002_price_list").load(apps, None)
    import_module("renovation.migrations.0002_seed_rules_and_fees").seed(apps, None)
    for user in (desk, supervisor, engineer, guard, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return {"desk": desk, "supervisor": supervisor, "engineer": engineer, "guard": guard, "tenant": tenant_a_admin}


def staff_page(new_page, user):
    page = new_page()
    login(page, user.username, PASSWORD)
    page.wait_for_url(re.compile(r"/desk/$"))
    return page


def test_renovation_from_application_to_acceptance(new_page, people, tenant_a, unit_a):
    today = timezone.localdate()

    # The tenant's admin applies on a phone, with the contractor's papers and the drawings.
    tenant = new_page(phone=True)
    login(tenant, people["tenant"].username, PASSWORD)
    tenant.wait_for_url(re.compile(r"/portal/$"))
    tenant.goto("/portal/renovations/new/")
    tenant.select_option("select[name=unit]", str(unit_a.pk))
    for name, value in {
        "contact_name": "王建国",
        "contact_phone": "13877110001",
        "contractor_name": "南宁精工装饰工程有限公司",
        "contractor_person": "赵师傅",
        "contractor_phone": "13977130003",
        "planned_start": today.isoformat(),
        "planned_end": (today + timezone.timedelta(days=40)).isoformat(),
        "electrical_load_kw": "20",
        "fire_safety_person": "王建国",
        "fire_safety_phone": "13877110001",
    }.items():
        tenant.fill(f"input[name={name}]", value)
    tenant.fill("textarea[name=work_items]", "轻钢龙骨隔墙\n吊顶\n照明线路")
    for kind in FILES:
        tenant.set_input_files(
            f"input[name={kind}]", {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
        )
    submit(tenant, "main button[type=submit]")
    tenant.wait_for_url(re.compile(r"/portal/renovations/\d+/$"))
    r = Renovation.objects.get()
    assert r.status == "applied"
    detail = f"/desk/renovations/{r.pk}/"

    # Engineering and security each pass their review; the supervisor approves and bills.
    staff = {}
    for who, action, state in (
        ("engineer", "pass_engineering", "engineering_passed"),
        ("guard", "pass_security", "reviewed"),
        ("supervisor", "approve", "approved"),
    ):
        page = staff[who] = staff_page(new_page, people[who])
        page.goto(detail)
        submit(page, f"button[value={action}]")
        r.refresh_from_db()
        assert r.status == state, who
    bill = Bill.objects.get(pk=r.fees_bill_id)

    # The desk records the payment from the checklist's link and comes back to start works.
    clerk = staff_page(new_page, people["desk"])
    clerk.goto(detail)
    assert clerk.locator("button[value=start_works]").count() == 0  # fees unpaid: not offered
    submit(clerk, "a[href*='/desk/billing/'][href*='bill=']")
    clerk.select_option("select[name=method]", "cash")
    submit(clerk, "main button[type=submit]")
    clerk.wait_for_url(re.compile(rf"/desk/renovations/{r.pk}/$"))
    bill.refresh_from_db()
    assert bill.status == "paid"
    submit(clerk, "button[value=start_works]")
    r.refresh_from_db()
    assert r.status == "in_works"
    assert r.permit.number in clerk.content()
    pdf = clerk.request.get(f"/desk/renovations/{r.pk}/permit/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The tenant sees works in progress and downloads the permit for the door.
    tenant.goto(f"/portal/renovations/{r.pk}/")
    assert r.permit.number in tenant.content()
    assert tenant.request.get(f"/portal/renovations/{r.pk}/permit/").body().startswith(b"%PDF")

    # The desk issues a worker pass from the renovation's workers page and prints the badge.
    submit(clerk, f"a[href='/desk/renovations/{r.pk}/worker-passes/']")
    submit(clerk, "a[href$='/worker-passes/new/']")
    clerk.fill("input[name=worker_name]", "李建军")
    clerk.fill("input[name=id_number]", id_number(1))
    clerk.select_option("select[name=trade]", "carpenter")
    clerk.set_input_files("input[name=photo]", {"name": "工人.jpg", "mimeType": "image/jpeg", "buffer": tiny_image()})
    submit(clerk, "main button[type=submit]")
    worker_pass = WorkerPass.objects.get()
    assert worker_pass.status == "issued"
    badge = clerk.request.get(f"/desk/worker-passes/{worker_pass.pk}/badge/")
    assert badge.ok and badge.body().startswith(b"%PDF")

    # A guard at the gate scans the badge's QR code on a phone: photo, name, company, verdict.
    gate = new_page(phone=True)
    login(gate, people["guard"].username, PASSWORD)
    gate.wait_for_url(re.compile(r"/desk/$"))
    gate.goto(worker_pass.document.verify_path)
    assert gate.locator(".alert-success").count() == 1
    assert gate.locator("img.guard-photo").evaluate("img => img.complete && img.naturalWidth > 0")
    details = gate.locator(".guard-details").inner_text()
    assert "李建军" in details and r.contractor_name in details and r.tenant.name in details
    submit(gate, "button[value=check]")
    assert GateCheck.objects.filter(document=worker_pass.document, result="done").count() == 1

    # Engineering inspects: wiring left bare is a violation; the order is issued with a photo.
    eng = staff["engineer"]
    eng.goto(detail)
    submit(eng, f"a[href='/desk/renovations/{r.pk}/inspect/']")
    eng.fill("textarea[name=findings]", "配电箱未加盖，电线裸露")
    eng.check("input[name=violation]")
    eng.fill("textarea[name=requirement]", "配电箱加盖，线路穿管")
    eng.fill("input[name=due_on]", (today + timezone.timedelta(days=3)).isoformat())
    eng.set_input_files("input[name=photo_1]", {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": tiny_image()})
    submit(eng, "main button[type=submit]")
    eng.wait_for_url(re.compile(rf"/desk/renovations/{r.pk}/$"))
    order = RectificationOrder.objects.get()
    assert order.document.number in eng.content()

    # The tenant sees the order and its paper; engineering re-inspects and closes it.
    tenant.goto(f"/portal/renovations/{r.pk}/")
    assert order.document.number in tenant.content()
    assert tenant.request.get(f"/portal/renovations/orders/{order.pk}/pdf/").body().startswith(b"%PDF")
    eng.goto(f"/desk/renovations/{r.pk}/inspect/")
    eng.select_option("select[name=reinspects]", str(order.pk))
    eng.fill("textarea[name=findings]", "已加盖，线路已穿管")
    submit(eng, "main button[type=submit]")
    order.refresh_from_db()
    assert order.status == "closed"

    # Works finished: the tenant asks for acceptance, both departments pass it.
    tenant.goto(f"/portal/renovations/{r.pk}/")
    submit(tenant, "button[value=request_acceptance]")
    for who, action in (("engineer", "pass_acceptance_engineering"), ("guard", "pass_acceptance_security")):
        staff[who].goto(detail)
        submit(staff[who], f"button[value={action}]")
    r.refresh_from_db()
    assert r.status == "accepted"
    tenant.goto(f"/portal/renovations/{r.pk}/")
    assert r.defect_period_ends.isoformat() in tenant.content()
