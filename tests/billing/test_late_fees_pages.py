"""Late fees 违约金 on the pages: the tenant sees its own as they accrue (portal list and
detail), the desk sees them on the account and the bill, the supervisor waives on a desk page
(everyone else 403); bad input is a field error; query counts are fixed."""

from datetime import date

import pytest
from django.urls import reverse

from billing import latefee_services
from billing.latefees import late_fee_as_of
from billing.models import LateFeeCharge, LateFeeWaiver
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.billing.helpers import D
from tests.billing.late_fee_helpers import agree, on_day, overdue_bill, pay_on
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today():
    with on_day(TODAY):
        yield TODAY


@pytest.fixture
def bill(tenant_a, desk):
    """Tenant A's 1000.00 due 2026-01-15 under 0.03 %/day: 16.20 accrued by 2026-03-10."""
    agree(tenant_a)
    return overdue_bill(tenant_a, desk, "1000.00", date(2026, 1, 15))


def waive_url(bill) -> str:
    return reverse("desk:billing:late_fee_waive", args=[bill.pk])


# --- what each side sees ------------------------------------------------------------------------


def test_the_tenant_sees_its_late_fee_so_far_in_the_bill_list_and_on_the_bill(client_for, tenant_a_admin, bill):
    assert late_fee_as_of(bill, TODAY) == D("16.20")  # 16 + 28 + 10 days at 0.30
    client = client_for(tenant_a_admin)
    home = client.get(reverse("portal:billing:billing_home")).content.decode()
    assert "¥16.20" in home and "违约金" in home
    detail = client.get(reverse("portal:billing:bill_detail", args=[bill.pk])).content.decode()
    assert 'id="late-fee"' in detail and "¥16.20" in detail and "0.03" in detail
    assert "滞纳金" not in home + detail


def test_another_tenant_never_sees_the_bill_or_its_late_fee(client_for, tenant_b_admin, bill):
    client = client_for(tenant_b_admin)
    assert client.get(reverse("portal:billing:bill_detail", args=[bill.pk])).status_code == 404
    assert "¥16.20" not in client.get(reverse("portal:billing:billing_home")).content.decode()


def test_without_a_clause_nothing_is_shown(client_for, tenant_a, tenant_a_admin, desk):
    agree(tenant_a, rate=None)
    plain = overdue_bill(tenant_a, desk, "1000.00", date(2026, 1, 15))
    client = client_for(tenant_a_admin)
    assert 'id="late-fee' not in client.get(reverse("portal:billing:billing_home")).content.decode()
    assert 'id="late-fee"' not in client.get(reverse("portal:billing:bill_detail", args=[plain.pk])).content.decode()


def test_the_desk_sees_late_fees_on_the_account_and_the_bill(client_for, desk, supervisor, bill):
    account = client_for(desk).get(reverse("desk:billing:account", args=[bill.tenant_id])).content.decode()
    assert 'id="late-fees"' in account and "16.20" in account
    detail = client_for(desk).get(reverse("desk:billing:bill_detail", args=[bill.pk])).content.decode()
    assert 'id="late-fee"' in detail and waive_url(bill) not in detail
    as_supervisor = client_for(supervisor).get(reverse("desk:billing:bill_detail", args=[bill.pk]))
    assert waive_url(bill) in as_supervisor.content.decode()


def test_a_late_fee_bill_shows_the_bills_and_months_it_charges(client_for, desk, tenant_a_admin, bill):
    with on_day(date(2026, 3, 1)):
        fee_bill = latefee_services.late_fees_bill(tenant=bill.tenant, by=desk)
    page = client_for(tenant_a_admin).get(reverse("portal:billing:bill_detail", args=[fee_bill.pk])).content.decode()
    assert bill.number in page and "2026-01" in page and "2026-02" in page
    desk_page = client_for(desk).get(reverse("desk:billing:bill_detail", args=[fee_bill.pk])).content.decode()
    assert 'name="action" value="void"' not in desk_page  # waived by the supervisor, never voided


# --- the waiver page ------------------------------------------------------------------------------


def test_the_supervisor_waives_on_the_desk_page(client_for, supervisor, bill):
    client = client_for(supervisor)
    assert client.get(waive_url(bill)).status_code == 200
    response = client.post(waive_url(bill), {"amount": "6.20", "reason": "首次逾期，减免部分"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:billing:bill_detail", args=[bill.pk])
    waiver = LateFeeWaiver.objects.get()
    assert (waiver.amount, waiver.reason, waiver.created_by) == (D("6.20"), "首次逾期，减免部分", supervisor)
    assert AuditEvent.objects.filter(action="bill.late_fee_waived", object_id=bill.pk).exists()
    assert late_fee_as_of(bill, TODAY) == D("10.00")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "16.21", "reason": "x"}, "amount"),  # more than accrued and not yet billed
        ({"amount": "0", "reason": "x"}, "amount"),
        ({"amount": "-5", "reason": "x"}, "amount"),
        ({"amount": "abc", "reason": "x"}, "amount"),
        ({"amount": "1.234", "reason": "x"}, "amount"),
        ({"amount": "1", "reason": ""}, "reason"),
        ({"amount": "1", "reason": "   "}, "reason"),
    ],
)
def test_a_bad_waiver_is_a_field_error(client_for, supervisor, bill, data, field):
    response = client_for(supervisor).post(waive_url(bill), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LateFeeWaiver.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("desk", 403), ("finance", 403), ("tenant_a_admin", 403), (None, 302)])
def test_only_a_supervisor_may_waive(client_for, persona, bill, who, status):
    client = client_for(persona(who) if who else None)
    assert client.get(waive_url(bill)).status_code == status
    assert client.post(waive_url(bill), {"amount": "1.00", "reason": "x"}).status_code == status
    assert not LateFeeWaiver.objects.exists()


def test_waiving_an_unknown_bill_is_404(client_for, supervisor):
    assert client_for(supervisor).get(reverse("desk:billing:late_fee_waive", args=[987654])).status_code == 404


# --- the agreement's terms on the desk ------------------------------------------------------------


def test_the_tenant_page_shows_each_occupancys_late_fee_terms(client_for, desk, tenant_a):
    agree(tenant_a, rate="0.0003", grace=5)
    page = client_for(desk).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert "0.03" in page


@pytest.mark.parametrize(
    ("rate", "grace", "field"),
    [
        ("0.03", "0", "late_fee_daily_rate"),
        ("-0.0003", "", "late_fee_daily_rate"),
        ("0.0003", "-2", "late_fee_grace_days"),
    ],
)
def test_the_agreement_step_refuses_bad_late_fee_terms_beside_their_fields(
    client_for, desk, tenant_a, rate, grace, field
):
    from tenants.models import MoveIn

    move_in = factories.make_movein(tenant_a, desk)
    data = {"step": "agreement", "signed_on": "2026-03-01", "signer": "王建国"}
    data |= {"late_fee_daily_rate": rate, "late_fee_grace_days": grace}
    response = client_for(desk).post(reverse("desk:tenants:movein_detail", args=[move_in.pk]), data)
    assert response.status_code == 400
    assert field in response.context["failed"][2].errors
    assert MoveIn.objects.get(pk=move_in.pk).agreement_signed_on is None


def test_the_agreement_step_records_the_late_fee_terms(client_for, desk, tenant_a):
    from tenants.models import MoveIn

    move_in = factories.make_movein(tenant_a, desk)
    data = {"step": "agreement", "signed_on": "2026-03-01", "signer": "王建国"}
    data |= {"late_fee_daily_rate": "0.0003", "late_fee_grace_days": "5"}
    response = client_for(desk).post(reverse("desk:tenants:movein_detail", args=[move_in.pk]), data)
    assert response.status_code == 302
    move_in = MoveIn.objects.get(pk=move_in.pk)
    assert (move_in.late_fee_daily_rate, move_in.late_fee_grace_days) == (D("0.0003"), 5)


def test_a_rate_above_the_cap_in_the_admin_is_a_field_error(client_for, supervisor, tenant_a):
    from tenants.models import Occupancy

    occupancy = Occupancy.objects.get(tenant=tenant_a)
    url = reverse("admin:tenants_occupancy_change", args=[occupancy.pk])
    data = {"tenant": tenant_a.pk, "unit": occupancy.unit_id, "start": "2025-01-01", "end": ""}
    response = client_for(supervisor).post(url, data | {"late_fee_daily_rate": "0.002", "late_fee_grace_days": "0"})
    assert response.status_code == 200
    assert "late_fee_daily_rate" in response.context["adminform"].form.errors
    assert Occupancy.objects.get(pk=occupancy.pk).late_fee_daily_rate is None
    response = client_for(supervisor).post(url, data | {"late_fee_daily_rate": "0.0003", "late_fee_grace_days": "3"})
    assert response.status_code == 302
    assert Occupancy.objects.get(pk=occupancy.pk).late_fee_daily_rate == D("0.0003")


# --- fixed queries --------------------------------------------------------------------------------


def _overdue_rows(ctx, n):
    """Overdue bills of tenant A, each part paid, with January billed and a waiver."""
    tenant, desk, supervisor = ctx["tenant_a"], ctx["desk"], ctx["supervisor"]
    for _ in range(n):
        made = overdue_bill(tenant, desk, "300.00", date(2025, 12, 20), lines=None)
        pay_on(date(2026, 1, 10), tenant, desk, "100.00", bills=[made])
        latefee_services.late_fee_waive(bill=made, amount=D("0.01"), reason="x", by=supervisor)
    latefee_services.late_fees_bill(tenant=tenant, by=desk)


def _months(ctx, n):
    """More billed months (and their late-fee bills) on the one bill of the page."""
    bill, desk = ctx["bill"], ctx["desk"]
    for _ in range(n):
        LateFeeCharge.objects.create(
            source_bill=bill,
            month=date(2000 + LateFeeCharge.objects.count(), 1, 1),
            source_key=f"latefee:{bill.pk}:x{LateFeeCharge.objects.count()}",
            days=31,
            daily_rate=D("0.0003"),
            fee=D("1.00"),
            amount=D("1.00"),
            bill=factories.make_bill(bill.tenant, desk, "1.00"),
        )


@pytest.fixture
def ctx(query_ctx, bill):
    agree(query_ctx["tenant_a"])
    return {**query_ctx, "bill": bill}


CASES = {
    "desk-account": Case("desk", lambda c: f"/desk/billing/accounts/{c['tenant_a'].pk}/", _overdue_rows, 10),
    "portal-billing-home": Case("tenant_a_admin", lambda c: "/portal/billing/", _overdue_rows, 11),
    "desk-bill-detail": Case("desk", lambda c: f"/desk/billing/bills/{c['bill'].pk}/", _months, 10),
    "portal-bill-detail": Case("tenant_a_admin", lambda c: f"/portal/billing/bills/{c['bill'].pk}/", _months, 10),
    "desk-late-fee-waive": Case("supervisor", lambda c: waive_url(c["bill"]), _months, 9),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
