"""A company moves in (documents, agreement, keys, inspection, first charges paid), gets its
portal login by invitation, sees its bills and receipt, later moves out; the desk clears it
and a supervisor refunds the deposit with one deduction."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from billing.models import Bill, DepositEntry, Payment
from tenants.models import Membership, MoveIn, MoveOut, Occupancy
from tenants.services import portal_access_close_due
from tests import factories

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"
PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture
def price_list(db):
    """Transactional tests flush the tables between tests, the migrated price list too."""
    from importlib import import_module

    from django.apps import apps

    import_module("billing.migrations.0002_price_list").load(apps, None)
    apps.get_model("billing", "FeeItem").objects.filter(code="property_fee").update(billed_monthly=True)


@pytest.fixture
def newcomer(building, price_list):
    floor = factories.FloorFactory(building=building, number=18)
    units = [
        factories.UnitFactory(floor=floor, number="A-1801", area=Decimal("150.00")),
        factories.UnitFactory(floor=floor, number="A-1802", area=Decimal("90.00")),
    ]
    tenant = factories.TenantFactory(name="广西邕江数字科技有限公司")
    factories.ContactFactory(tenant=tenant, name="黄丽", email="huangli@example.com", is_primary=True)
    return tenant, units


@pytest.fixture
def staff(desk, supervisor):
    for user in (desk, supervisor):
        user.set_password(PASSWORD)
        user.save()
    return desk, supervisor


def upload(page, kind: str, tmp_path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(PDF)
    form = page.locator("form:has(input[name=step][value=documents])")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=file]").set_input_files(str(path))
    submit(page, form.locator("button[type=submit]"))


def test_move_in_invitation_bills_and_move_out(new_page, staff, newcomer, tmp_path):
    desk, supervisor = staff
    tenant, units = newcomer
    start = timezone.localdate() - timedelta(days=20)

    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/tenants/{tenant.pk}/")
    submit(clerk, f"a[href='/desk/tenants/{tenant.pk}/move-in/']")
    clerk.fill("input[name=units]", "A-1801, A-1802")
    clerk.fill("input[name=start_date]", start.isoformat())
    submit(clerk, "main button[type=submit]")
    clerk.wait_for_url(re.compile(r"/desk/move-ins/\d+/$"))
    move_in = MoveIn.objects.get(tenant=tenant)

    # An HTML page renamed .pdf is refused beside the field; real scans are filed.
    fake = tmp_path / "licence.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    form = clerk.locator("form:has(input[name=step][value=documents])")
    form.locator("input[name=file]").set_input_files(str(fake))
    submit(clerk, form.locator("button[type=submit]"))
    assert clerk.locator(".invalid-feedback").count() >= 1
    for kind in ("licence", "lease", "contact_id"):
        upload(clerk, kind, tmp_path)

    agreement = clerk.locator("form:has(input[name=step][value=agreement])")
    agreement.locator("input[name=signed_on]").fill(start.isoformat())
    agreement.locator("input[name=signer]").fill("黄丽")
    submit(clerk, agreement.locator("button[type=submit]"))

    for _ in units:
        handover = clerk.locator("form:has(input[name=step][value=handover])").first
        handover.locator("input[name=keys]").fill("2")
        submit(clerk, handover.locator("button[type=submit]"))
    for _ in units:
        inspection = clerk.locator("form:has(input[name=step][value=inspection])").first
        inspection.locator("input[name=water]").fill("120.5")
        inspection.locator("input[name=electricity]").fill("30210")
        inspection.locator("textarea[name=condition]").fill("墙面地面完好")
        submit(clerk, inspection.locator("button[type=submit]"))
    submit(clerk, "form:has(input[name=step][value=signboard]) button")

    # First charges: the prorated fee and the deposits, billed and paid at the desk.
    submit(clerk, f"a[href='/desk/move-ins/{move_in.pk}/charges/']")
    submit(clerk, "main button[type=submit]")
    clerk.wait_for_url(re.compile(r"/pay/"))
    bill = Bill.objects.get(tenant=tenant)
    clerk.select_option("select[name=method]", "bank")
    clerk.fill("input[name=reference]", "ICBC-20261126-001")
    submit(clerk, "main button[type=submit]")
    # Back on the move-in's checklist, with the receipt named in the message.
    clerk.wait_for_url(re.compile(rf"/desk/move-ins/{move_in.pk}/$"))
    bill.refresh_from_db()
    assert bill.status == "paid"
    receipt = Payment.objects.get(tenant=tenant).receipt.number
    assert receipt in clerk.content()
    clerk.goto(f"/desk/billing/payments/{Payment.objects.get().pk}/")
    assert clerk.locator(f"a[href='/desk/billing/payments/{Payment.objects.get().pk}/receipt/']").count() >= 1
    assert clerk.request.get(f"/desk/billing/payments/{Payment.objects.get().pk}/receipt/").body().startswith(b"%PDF")

    # The supervisor confirms: occupancies start, the tenant is invited.
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto(f"/desk/move-ins/{move_in.pk}/")
    submit(boss, "button[value=confirm]")
    move_in.refresh_from_db()
    assert move_in.status == "confirmed"
    assert Occupancy.objects.filter(tenant=tenant, end__isnull=True).count() == 2

    invitation = next(m for m in mail.outbox if "huangli@example.com" in m.to and "/invite/" in m.body)
    link = re.search(r"https?://\S+(/invite/\S+)", invitation.body).group(1)
    portal = new_page(phone=True)
    portal.goto(link)
    portal.fill("input[name=new_password1]", "Yongjiang-2026-portal")
    portal.fill("input[name=new_password2]", "Yongjiang-2026-portal")
    submit(portal, "main button[type=submit]")
    portal.wait_for_url(re.compile(r"/portal/$"))
    portal.goto("/portal/billing/")
    assert bill.number in portal.content() or bill.title in portal.content()
    assert receipt in portal.content()

    # Later the tenant asks to move out; the desk clears it; the supervisor settles the deposit.
    planned = timezone.localdate() + timedelta(days=10)
    portal.goto("/portal/move-out/")
    portal.fill("input[name=planned_date]", planned.isoformat())
    portal.fill("input[name=reason]", "迁往新址")
    submit(portal, "main button[type=submit]")
    portal.wait_for_url(re.compile(r"/portal/move-outs/\d+/$"))
    move_out = MoveOut.objects.get(tenant=tenant)

    clerk.goto(f"/desk/move-outs/{move_out.pk}/")
    for _ in units:
        back = clerk.locator("form:has(input[name=step][value=return])").first
        back.locator("input[name=keys]").fill("2")
        submit(clerk, back.locator("button[type=submit]"))
    for _ in units:
        final = clerk.locator("form:has(input[name=step][value=inspection])").first
        final.locator("input[name=water]").fill("180")
        final.locator("input[name=electricity]").fill("35000")
        submit(clerk, final.locator("button[type=submit]"))

    held = sum(e.amount for e in DepositEntry.objects.filter(tenant=tenant))
    boss.goto(f"/desk/move-outs/{move_out.pk}/deposit/")
    boss.fill("input[name=deduction_1]", "300")
    boss.fill("input[name=reason_1]", "门禁卡遗失补办")
    boss.fill("input[name=refund]", str(held))  # too much: refused beside the field
    submit(boss, "main button[type=submit]")
    assert boss.locator("#id_refund.is-invalid, .invalid-feedback").count() >= 1
    boss.fill("input[name=refund]", str(held - Decimal("300.00")))
    submit(boss, "main button[type=submit]")
    boss.wait_for_url(re.compile(rf"/desk/move-outs/{move_out.pk}/$"))
    submit(boss, "button[value=complete]")
    move_out.refresh_from_db()
    assert move_out.status == "completed"
    assert set(Occupancy.objects.filter(tenant=tenant).values_list("end", flat=True)) == {planned}
    kinds = sorted(DepositEntry.objects.filter(tenant=tenant).values_list("kind", flat=True))
    assert kinds.count("deducted") == 1 and "refunded" in kinds
    # No unit left: the company's portal login closes on the move-out date (ten days on, by the
    # periodic task); the archive and ledgers stay.
    assert Membership.objects.filter(tenant=tenant, is_active=True).exists()
    assert portal_access_close_due(timezone.now() + timedelta(days=10)) == 1
    assert not Membership.objects.filter(tenant=tenant, is_active=True).exists()
    assert portal.goto("/portal/billing/").status == 403
