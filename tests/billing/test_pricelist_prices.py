"""The dated price list (明码标价): prices from a date, ranges, old bills untouched."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import FeePrice
from billing.selectors import price_list_as_of, price_on
from billing.services import LineSpec, fee_price_add
from jinyuan.workflow.models import AuditEvent
from tests.billing.helpers import D, issue_bill

pytestmark = pytest.mark.django_db


def test_price_on_follows_the_dated_rows(price_list, finance):
    item = price_list["signboard"]
    fee_price_add(item=item, price=D("300.00"), effective_from=date(2026, 1, 1), by=finance)
    fee_price_add(item=item, price=D("350.00"), effective_from=date(2026, 7, 1), by=finance)
    assert price_on(item, date(2025, 12, 31)) == D("300.00")  # before any row: the plain price
    assert price_on(item, date(2026, 3, 1)) == D("300.00")
    assert price_on(item, date(2026, 6, 30)) == D("300.00")
    assert price_on(item, date(2026, 7, 1)) == D("350.00")


def test_current_price_is_kept_in_step_and_future_price_waits(price_list, finance):
    item = price_list["signboard"]
    today = timezone.localdate()
    fee_price_add(item=item, price=D("320.00"), effective_from=today - timedelta(days=1), by=finance)
    fee_price_add(item=item, price=D("400.00"), effective_from=today + timedelta(days=30), by=finance)
    item.refresh_from_db()
    assert item.price == D("320.00")
    assert {i.code: i.price_today for i in price_list_as_of(today)}["signboard"] == D("320.00")
    assert AuditEvent.objects.filter(action="fee_item.price_added", object_id=item.pk).count() == 2


def test_old_bills_keep_their_old_prices(price_list, tenant_a, finance):
    item = price_list["signboard"]
    bill = issue_bill(tenant_a, finance, lines=[LineSpec(item, item.name, D(1), price_on(item, timezone.localdate()))])
    fee_price_add(item=item, price=D("999.00"), effective_from=timezone.localdate(), by=finance)
    bill.refresh_from_db()
    line = bill.lines.get()
    assert (line.unit_price, line.amount, bill.total) == (D("300.00"), D("300.00"), D("300.00"))


def test_ranged_price_must_lie_in_its_range(price_list, finance):
    item = price_list["paid_service"]
    with pytest.raises(ValidationError):
        fee_price_add(
            item=item,
            price=D("500"),
            price_min=D("50"),
            price_max=D("200"),
            effective_from=date(2026, 1, 1),
            by=finance,
        )
    with pytest.raises(ValidationError):
        fee_price_add(item=item, price=D("80"), price_min=D("50"), effective_from=date(2026, 1, 1), by=finance)
    assert not FeePrice.objects.exists()
    fee_price_add(
        item=item, price=D("80"), price_min=D("50"), price_max=D("200"), effective_from=date(2026, 1, 1), by=finance
    )
    item.refresh_from_db()
    assert item.is_ranged and (item.price_min, item.price_max) == (D("50"), D("200"))


def test_a_second_price_on_the_same_day_is_refused(price_list, finance):
    item = price_list["signboard"]
    fee_price_add(item=item, price=D("310"), effective_from=date(2026, 1, 1), by=finance)
    with pytest.raises(ValidationError):
        fee_price_add(item=item, price=D("320"), effective_from=date(2026, 1, 1), by=finance)
    assert FeePrice.objects.get().price == D("310")


def test_negative_price_is_refused(price_list, finance):
    with pytest.raises(ValidationError):
        fee_price_add(item=price_list["signboard"], price=D("-1"), effective_from=date(2026, 1, 1), by=finance)


def test_price_list_as_of_today_takes_two_queries(price_list, finance, django_assert_num_queries):
    for item in price_list.values():
        fee_price_add(item=item, price=item.price, effective_from=date(2026, 1, 1), by=finance)
    with django_assert_num_queries(2):
        items = price_list_as_of(timezone.localdate())
    assert len(items) >= len(price_list)


def test_supervisor_adds_a_dated_price_in_the_admin_without_overwriting(price_list, supervisor, client_for):
    item = price_list["signboard"]
    url = f"/admin/billing/feeitem/{item.pk}/change/"
    client = client_for(supervisor)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("price", "price_min", "price_max")}
    data.update(
        {
            "is_active": "on",
            "prices-TOTAL_FORMS": "1",
            "prices-INITIAL_FORMS": "0",
            "prices-MIN_NUM_FORMS": "0",
            "prices-MAX_NUM_FORMS": "1000",
            "prices-0-effective_from": "2026-01-01",
            "prices-0-price": "330.00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["errors"]
    row = FeePrice.objects.get(fee_item=item)
    assert (row.price, row.created_by) == (D("330.00"), supervisor)
    assert AuditEvent.objects.filter(action="fee_item.price_added", object_id=item.pk).exists()


def test_portal_price_list_shows_ranges_and_fixed_queries(price_list, finance, tenant_a_admin, client_for):
    from tests.querycount import _count as count_queries

    fee_price_add(
        item=price_list["paid_service"],
        price=D("80"),
        price_min=D("50"),
        price_max=D("200"),
        effective_from=date(2026, 1, 1),
        by=finance,
    )
    client = client_for(tenant_a_admin)
    page = client.get("/portal/billing/price-list/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "有偿服务费" in text and "2026-01-01" in text
    few = count_queries(client, "/portal/billing/price-list/")
    for item in list(price_list.values())[:4]:
        fee_price_add(item=item, price=item.price, effective_from=date(2026, 2, 1), by=finance)
    assert count_queries(client, "/portal/billing/price-list/") == few
