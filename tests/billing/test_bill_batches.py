"""Bills issued in a batch (``bills_create``) as ``bill_create`` issues one, and the month-end
late-fee run that uses it: the same few queries for one tenant or thirty."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import latefee_services
from billing.models import Bill, BillLine, LateFeeCharge
from billing.services import BillSpec, bills_create, payment_record
from jinyuan.workflow.models import AuditEvent, Notification
from jinyuan.workflow.services import TransitionRefused
from tenants.models import Membership
from tests import factories
from tests.billing.helpers import D, service_lines
from tests.billing.late_fee_helpers import agree, on_day, overdue_bill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


def tenants_with_admins(n: int) -> list:
    tenants = []
    for _ in range(n):
        tenant, _unit = factories.occupied_unit()
        factories.MembershipFactory(tenant=tenant, role="admin")
        tenants.append(tenant)
    return tenants


def test_a_batch_issues_numbered_bills_with_their_lines_events_and_notices(desk):
    tenants = tenants_with_admins(2)
    specs = [
        BillSpec(tenants[0], "违约金 2026-01", service_lines("10.00", "2.50"), source_key="latefee:1:2026-01"),
        BillSpec(tenants[1], "违约金 2026-01", service_lines("7.00"), issued_on=date(2026, 2, 1)),
    ]
    issued = bills_create(specs=specs, by=desk)
    (first, first_lines), (second, _second_lines) = issued
    assert [b.total for b, _lines in issued] == [D("12.50"), D("7.00")]
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert [line.amount for line in first_lines] == [D("10.00"), D("2.50")]
    assert list(BillLine.objects.filter(bill=first).order_by("id")) == first_lines
    assert (second.issued_on, second.due_date) == (date(2026, 2, 1), date(2026, 2, 16))
    assert first.source_key == "latefee:1:2026-01" and first.status == Bill.Status.OPEN
    events = AuditEvent.objects.filter(action="bill.issued", object_id__in=[first.pk, second.pk])
    assert sorted(e.data["total"] for e in events) == ["12.50", "7.00"]
    told = Notification.objects.filter(dedup_key__in=[f"bill-{first.pk}-issued", f"bill-{second.pk}-issued"])
    assert told.count() == 2
    assert {Membership.objects.get(user_id=n.recipient_id).tenant for n in told} == set(tenants)


def test_credit_a_tenant_holds_pays_its_new_bill(desk, tenant_a):
    payment_record(tenant=tenant_a, amount=D("100.00"), method="bank", by=desk)  # nothing to pay: credit
    ((bill, _lines),) = bills_create(specs=[BillSpec(tenant_a, "有偿服务", service_lines("60.00"))], by=desk)
    assert (bill.paid, bill.status) == (D("60.00"), Bill.Status.PAID)


def test_a_source_already_billed_is_refused_and_nothing_is_issued(desk, tenant_a, tenant_b):
    bills_create(specs=[BillSpec(tenant_a, "t", service_lines("1.00"), source_key="k:1")], by=desk)
    before = Bill.objects.count()
    with pytest.raises(TransitionRefused):
        bills_create(
            specs=[
                BillSpec(tenant_b, "t", service_lines("1.00"), source_key="k:1"),  # another tenant's key: fine
                BillSpec(tenant_a, "t", service_lines("1.00"), source_key="k:1"),
            ],
            by=desk,
        )
    assert Bill.objects.count() == before


@pytest.mark.parametrize("count", [1, 30])
def test_a_batch_takes_the_same_queries_for_one_bill_or_thirty(desk, count):
    tenants = tenants_with_admins(count)
    specs = [BillSpec(t, "有偿服务", service_lines("10.00", "20.00")) for t in tenants]
    bills_create(specs=[BillSpec(tenants[0], "warm-up", service_lines("1.00"))], by=desk)
    with CaptureQueriesContext(connection) as captured:
        bills_create(specs=specs, by=desk)
    assert len(captured) == 10, [q["sql"][:80] for q in captured]


# --- the month-end run: set-based -----------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_month_end_run_bills_one_tenant_or_thirty_in_the_same_queries(desk, count):
    tenants = tenants_with_admins(count)
    for tenant in tenants:
        agree(tenant)
        overdue_bill(tenant, desk, "1000.00", date(2026, 1, 15))
        overdue_bill(tenant, desk, "500.00", date(2026, 1, 20))
    with on_day(date(2026, 3, 1)), CaptureQueriesContext(connection) as captured:
        assert latefee_services.late_fees_bill_all(by=desk) == count
    assert len(captured) == 31, [q["sql"][:80] for q in captured]
    # Per tenant: January 4.80 + 1.65, February 8.40 + 4.20, in one bill.
    fee_bills = Bill.objects.filter(source_key__startswith="latefee:")
    assert sorted(b.total for b in fee_bills) == [D("19.05")] * count
    assert LateFeeCharge.objects.filter(bill__isnull=False).count() == 4 * count
    for charge in LateFeeCharge.objects.select_related("bill_line", "bill"):
        assert charge.bill_line.bill_id == charge.bill_id and charge.bill_line.amount == charge.amount
        assert charge.bill.tenant_id == charge.source_bill.tenant_id


def test_a_run_batches_its_tenants_and_a_second_run_bills_nothing(desk, monkeypatch):
    monkeypatch.setattr(latefee_services, "RUN_BATCH", 2)
    tenants = tenants_with_admins(5)
    for tenant in tenants:
        agree(tenant)
        overdue_bill(tenant, desk, "1000.00", date(2026, 1, 15))
    with on_day(date(2026, 2, 1)):
        assert latefee_services.late_fees_bill_all(by=desk) == 5
        assert latefee_services.late_fees_bill_all(by=desk) == 0
    assert Bill.objects.filter(source_key__startswith="latefee:").count() == 5
