"""有偿服务: a paid service charged in one screen (bill, payment, receipt, return visit), its bad
input refused beside the fields with the rows kept, and its service called directly."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import paid_services
from billing.models import Bill, FeeItem, Payment, ServiceCharge
from billing.paid import MaterialLine, PaidItem
from billing.services import fee_price_add
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests.billing.helpers import D

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list", "english")]

URL = "/desk/billing/services/new/"
FUZZ = settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def plumbing(finance):
    item = FeeItem.objects.create(
        code="repair_plumbing",
        name="水管维修",
        kind=FeeItem.Kind.ONE_OFF,
        price=D("80"),
        unit_label="次",
        materials_extra=True,
    )
    fee_price_add(
        item=item,
        price=D("80"),
        price_min=D("50"),
        price_max=D("200"),
        effective_from=timezone.localdate() - timedelta(days=30),
        by=finance,
    )
    item.refresh_from_db()
    return item


def form_data(plumbing, **over):
    data = {
        "submission_key": str(uuid.uuid4()),
        "tenant": "1201",
        "title": "更换水龙头",
        "description": "",
        "done_on": timezone.localdate().isoformat(),
        "pay_now": "on",
        "method": "wechat",
        "amount": "190.00",
        "reference": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-fee_item": str(plumbing.pk),
        "lines-0-quantity": "2",
        "lines-0-unit_price": "",
        "lines-0-reason": "",
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "0",
        "materials-0-description": "水龙头",
        "materials-0-quantity": "1",
        "materials-0-unit_price": "30",
    }
    data.update(over)
    return data


def test_the_desk_charges_a_service_in_one_screen_bill_payment_receipt_and_visit(
    client_for, desk, tenant_a, unit_a, plumbing
):
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, form_data(plumbing))
    charge = ServiceCharge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/billing/services/{charge.pk}/"
    assert charge.number.startswith("FW-") and charge.tenant == tenant_a
    bill = charge.bill
    assert bill.total == D("190.00") and bill.status == Bill.Status.PAID
    assert [line.amount for line in bill.lines.order_by("id")] == [D("160.00"), D("30.00")]
    payment = Payment.objects.get()
    assert payment.receipt is not None and payment.receipt.number.startswith("SJ-")
    visit = FollowUp.objects.get()
    assert visit.record == charge
    assert visit.due_on <= timezone.localdate() + timedelta(days=3)
    assert AuditEvent.objects.filter(action="service_charge.charged", object_id=charge.pk).exists()
    page = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(response["Location"])
    html = page.content.decode()
    assert bill.number in html and payment.receipt.number in html
    assert f"/desk/billing/payments/{payment.pk}/receipt/" in html


def test_the_tenant_can_be_typed_by_company_name_or_picked_from_the_suggestions(
    client_for, desk, tenant_a, unit_a, plumbing
):
    page = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(URL)
    assert "1201 · 广西甲方科技有限公司" in page.content.decode()
    client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, form_data(plumbing, tenant="1201 · 广西甲方科技有限公司"))
    client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, form_data(plumbing, tenant="甲方科技"))
    assert ServiceCharge.objects.filter(tenant=tenant_a).count() == 2


def test_without_payment_the_bill_stays_open(client_for, desk, tenant_a, plumbing):
    client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, form_data(plumbing, pay_now="", method="", amount=""))
    charge = ServiceCharge.objects.get()
    assert charge.bill.status == Bill.Status.OPEN and not Payment.objects.exists()


def test_a_resent_form_charges_once(client_for, desk, tenant_a, plumbing):
    data = form_data(plumbing)
    client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, data)
    again = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, data)
    charge = ServiceCharge.objects.get()
    assert again.status_code == 302 and again["Location"] == f"/desk/billing/services/{charge.pk}/"
    assert Bill.objects.count() == 1 and Payment.objects.count() == 1


def _refused(client_for, desk, data):
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, data)
    assert response.status_code == 400
    assert not ServiceCharge.objects.exists() and not Bill.objects.exists() and not Payment.objects.exists()
    return response


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"lines-0-quantity": "-1"}, "lines-0-quantity", "more than zero"),
        ({"lines-0-quantity": "abc"}, "lines-0-quantity", "Enter a number"),
        ({"lines-0-unit_price": "500"}, "lines-0-reason", "outside"),
        ({"lines-0-unit_price": "-5"}, "lines-0-unit_price", "negative"),
        ({"materials-0-quantity": "-2"}, "materials-0-quantity", "more than zero"),
        ({"amount": "x"}, "amount", "1280.50"),
        ({"amount": "-3"}, "amount", "more than zero"),
        ({"method": ""}, "method", "payment method"),
        ({"tenant": "9999"}, "tenant", "No tenant"),
        ({"done_on": "2026-13-45"}, "done_on", "2026-11-30"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_the_rows_are_kept(
    client_for, desk, tenant_a, plumbing, over, field, words
):
    response = _refused(client_for, desk, form_data(plumbing, **over))
    form = response.context["form"]
    lines, materials = response.context["lines"], response.context["materials"]
    errors = {**form.errors, **{f"lines-{i}-{k}": v for i, f in enumerate(lines) for k, v in f.errors.items()}}
    errors |= {f"materials-{i}-{k}": v for i, f in enumerate(materials) for k, v in f.errors.items()}
    assert field in errors, errors
    assert words in " ".join(errors[field])
    # What was typed comes back: the row and the materials are still there.
    html = response.content.decode()
    assert "水龙头" in html and f'value="{plumbing.pk}" selected' in html


def test_a_price_outside_the_range_with_a_reason_is_charged(client_for, desk, tenant_a, plumbing):
    data = form_data(plumbing, **{"lines-0-unit_price": "260", "lines-0-reason": "夜间加急"})
    client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(URL, data)
    line = ServiceCharge.objects.get().bill.lines.order_by("id").first()
    assert line.unit_price == D("260") and "夜间加急" in line.description


def test_no_lines_is_refused_above_the_lines(client_for, desk, tenant_a, plumbing):
    data = form_data(plumbing, **{"lines-0-fee_item": "", "lines-0-quantity": "", "materials-0-description": ""})
    data.update({"materials-0-quantity": "", "materials-0-unit_price": ""})
    response = _refused(client_for, desk, data)
    assert "Choose at least one item" in " ".join(response.context["line_errors"])


def test_materials_need_an_item_that_charges_them(client_for, desk, tenant_a, price_list, plumbing):
    data = form_data(plumbing, **{"lines-0-fee_item": str(price_list["access_card"].pk)})
    response = _refused(client_for, desk, data)
    assert "materials extra" in " ".join(response.context["line_errors"])


def test_the_item_select_offers_only_paid_services_with_their_range(client_for, desk, plumbing, price_list):
    html = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(URL).content.decode()
    assert "水管维修 · ¥50.00–¥200.00/次" in html or "水管维修 · 50.00–200.00/次" in html
    assert price_list["property_fee"].name not in html.split("lines-0-fee_item")[1].split("</select>")[0]


# --- the service, called directly -----------------------------------------------------------------


def test_the_same_source_is_never_billed_twice(desk, tenant_a, plumbing, tenant_b):
    items = [PaidItem(plumbing, D("1"))]
    paid_services.service_charge(tenant=tenant_a, items=items, materials=[], title="x", by=desk, source=tenant_b)
    with pytest.raises(TransitionRefused):
        paid_services.service_charge(tenant=tenant_a, items=items, materials=[], title="x", by=desk, source=tenant_b)
    assert ServiceCharge.objects.count() == 1


def test_without_a_visit_no_follow_up_is_scheduled(desk, tenant_a, plumbing):
    paid_services.service_charge(
        tenant=tenant_a, items=[PaidItem(plumbing, D("1"))], materials=[], title="x", by=desk, visit=False
    )
    assert not FollowUp.objects.exists()


def test_bad_lines_save_nothing(desk, tenant_a, plumbing):
    with pytest.raises(ValidationError) as exc:
        paid_services.service_charge(
            tenant=tenant_a,
            items=[PaidItem(plumbing, D("1"), unit_price=D("999"))],
            materials=[MaterialLine("管件", D("-1"), D("3"))],
            title="x",
            by=desk,
        )
    assert "lines" in exc.value.message_dict
    assert not Bill.objects.exists() and not ServiceCharge.objects.exists()


def test_the_charge_is_priced_on_the_day_it_was_done(desk, tenant_a, plumbing, finance):
    fee_price_add(item=plumbing, price=D("100"), effective_from=timezone.localdate() + timedelta(days=10), by=finance)
    charge = paid_services.service_charge(
        tenant=tenant_a, items=[PaidItem(plumbing, D("1"))], materials=[], title="x", by=desk
    )
    assert charge.bill.total == D("80.00")


def test_a_number_is_gapless_per_year(desk, tenant_a, plumbing):
    first = paid_services.service_charge(
        tenant=tenant_a, items=[PaidItem(plumbing, D("1"))], materials=[], title="x", by=desk
    )
    second = paid_services.service_charge(
        tenant=tenant_a, items=[PaidItem(plumbing, D("1"))], materials=[], title="y", by=desk
    )
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


# --- random input never gives a 500 ----------------------------------------------------------------

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "0", "-1", "1e9", "9" * 14, "NaN", "Infinity", "\x00", "２", "0.00001", "99999999.9999"]),
)


@FUZZ
@given(quantity=junk, price=junk, reason=st.text(max_size=300), amount=junk, material_qty=junk, tenant=junk)
def test_random_input_never_gives_a_500(
    client_for, desk, tenant_a, plumbing, quantity, price, reason, amount, material_qty, tenant
):
    over = {"lines-0-quantity": quantity, "lines-0-unit_price": price, "lines-0-reason": reason}
    over |= {"amount": amount, "materials-0-quantity": material_qty, "tenant": tenant}
    response = client_for(desk).post(URL, form_data(plumbing, **over))
    assert response.status_code in (302, 400)


# --- the register ---------------------------------------------------------------------------------


@pytest.fixture
def two_charges(desk, tenant_a, tenant_b, plumbing, price_list):
    first = paid_services.service_charge(
        tenant=tenant_a, items=[PaidItem(plumbing, D("1"))], materials=[], title="水管", by=desk
    )
    second = paid_services.service_charge(
        tenant=tenant_b,
        items=[PaidItem(price_list["access_card"], D("2"))],
        materials=[],
        title="门禁卡",
        by=desk,
        done_on=timezone.localdate() - timedelta(days=40),
    )
    return first, second


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"水管", "门禁卡"}),
        ({"q": "1502"}, {"门禁卡"}),
        ({"q": "甲方"}, {"水管"}),
        ({"done_min": (timezone.localdate() - timedelta(days=5)).isoformat()}, {"水管"}),
        ({"item": "plumbing"}, {"水管"}),
    ],
)
def test_the_register_filters_by_tenant_date_and_item(client_for, finance, two_charges, plumbing, query, expected):
    if query.get("item") == "plumbing":
        query = {"item": plumbing.pk}
    response = client_for(finance).get("/desk/billing/services/", query)
    assert {c.title for c in response.context["object_list"]} == expected


def test_the_register_exports_to_excel(client_for, desk, two_charges):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(desk).get("/desk/billing/services/", {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {c.number for c in two_charges} <= numbers


def test_the_desk_price_list_shows_prices_to_come(client_for, desk, plumbing, finance):
    fee_price_add(item=plumbing, price=D("95"), effective_from=timezone.localdate() + timedelta(days=20), by=finance)
    html = client_for(desk).get("/desk/billing/price-list/").content.decode()
    assert "水管维修" in html and "95.00" in html
