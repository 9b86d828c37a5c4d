"""Recyclables 废品收购: the services' allowed and refused transitions, the weighing, the
release note, settlement in cash (a voucher) or by a credit note, gapless numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Payment
from billing.selectors import tenant_balance
from frontdesk import recyclables
from frontdesk.models import Category, RecyclePrice, RecycleRequest
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from permits.models import ReleaseNote
from tests.frontdesk.recycle_data import carrier_id, make_recycler, make_request, request_fields, set_prices, weighed

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a, tenant_a_admin, desk, supervisor):
    set_prices()
    make_recycler()
    return {"tenant": tenant_a, "applicant": tenant_a_admin, "desk": desk}


def _codes(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, action__startswith="recycle_request.").values_list(
            "action", flat=True
        )
    )


def test_a_request_is_numbered_and_logged(people, unit_a):
    obj = make_request("requested", **people)
    assert obj.number.startswith(f"FP-{timezone.localdate().year}-")
    assert obj.status == RecycleRequest.Status.REQUESTED
    assert _codes(obj) == ["recycle_request.requested"]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["gold"]}, "categories"),
        ({"estimated_kg": Decimal("0")}, "estimated_kg"),
        ({"estimated_kg": Decimal("-5")}, "estimated_kg"),
        ({"estimated_kg": None}, "estimated_kg"),
        ({"preferred_time": None}, "preferred_time"),
        ({"unit": None}, "unit"),
    ],
)
def test_an_empty_or_bad_request_is_a_field_error(people, unit_a, over, field):
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_request(
            tenant=people["tenant"], by=people["applicant"], **{**request_fields(unit_a), **over}
        )
    assert field in exc.value.message_dict
    assert not RecycleRequest.objects.exists()


def test_another_companys_unit_is_refused(people, unit_b, tenant_b):
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_request(tenant=people["tenant"], by=people["applicant"], **request_fields(unit_b))
    assert "unit" in exc.value.message_dict


def test_the_whole_way_to_a_credit_note(people, tenant_a):
    obj = make_request("settled", **people)
    lines = list(obj.lines.order_by("category"))
    # 18.40 kg metal × 3.50 = 64.40; 52.35 kg paper × 1.20 = 62.82
    assert [(li.category, li.amount) for li in lines] == [("metal", Decimal("64.40")), ("paper", Decimal("62.82"))]
    assert obj.total == Decimal("127.22")
    assert obj.status == RecycleRequest.Status.SETTLED
    assert obj.credit_note.number.startswith(f"HS-{timezone.localdate().year}-")
    assert obj.credit_note.amount == Decimal("127.22")
    assert tenant_balance(tenant_a)["credit"] == Decimal("127.22")
    assert _codes(obj) == [
        "recycle_request.requested",
        "recycle_request.scheduled",
        "recycle_request.collected",
        "recycle_request.settled",
    ]


def test_the_release_note_lists_the_weighed_items(people):
    obj = make_request("collected", **people)
    note = ReleaseNote.objects.get(pk=obj.release_note_id)
    assert note.status == ReleaseNote.Status.ISSUED
    assert note.tenant_id == obj.tenant_id
    assert note.items == [
        {"name": f"{Category.PAPER.label} 52.35 kg", "quantity": 1},
        {"name": f"{Category.METAL.label} 18.40 kg", "quantity": 1},
    ]
    assert note.document.number
    assert obj.number in note.remarks


def test_cash_settlement_issues_a_numbered_voucher(people, tenant_a):
    obj = make_request("settled", settlement="cash", **people)
    assert obj.voucher.kind == "recycle_payout"
    assert obj.voucher.number.startswith("FK-")
    assert obj.voucher.data["received_by"] == "王建国"
    assert obj.voucher.data["total"] == "127.22"
    assert obj.credit_note_id is None
    assert tenant_balance(tenant_a)["credit"] == Decimal("0")


def test_cash_needs_the_name_of_who_receives_it(people):
    obj = make_request("collected", **people)
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_settle(obj=obj, by=people["desk"], settlement="cash", received_by=" ")
    assert "received_by" in exc.value.message_dict
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.COLLECTED


def test_a_double_submit_settles_once(people, tenant_a):
    obj = make_request("settled", **people)
    again = RecycleRequest.objects.get(pk=obj.pk)
    with pytest.raises(TransitionRefused):
        recyclables.recycle_settle(obj=again, by=people["desk"])
    stale = RecycleRequest.objects.get(pk=obj.pk)
    stale.status = RecycleRequest.Status.COLLECTED  # a second click on the page read before the first
    with pytest.raises(TransitionRefused):
        recyclables.recycle_settle(obj=stale, by=people["desk"])
    assert Payment.objects.filter(tenant=tenant_a, method="creditnote").count() == 1


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        (weighed(paper="-3", metal=None), "weight_paper"),
        (weighed(paper="0", metal=None), "weight_paper"),
        (weighed(paper="1.234", metal=None), "weight_paper"),
        (weighed(paper="abc", metal=None), "weight_paper"),
        ([], "__all__"),
    ],
)
def test_a_bad_weight_is_a_field_error_and_nothing_is_kept(people, rows, field):
    obj = make_request("scheduled", **people)
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(
            obj=obj,
            by=people["desk"],
            weighed=rows,
            vehicle_plate="桂A6P521",
            carrier_name="覃师傅",
            carrier_id_number=carrier_id(),
        )
    assert field in exc.value.message_dict
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.SCHEDULED
    assert not obj.lines.exists()
    assert not ReleaseNote.objects.exists()


def test_a_bad_carrier_id_rolls_the_weighing_back(people):
    obj = make_request("scheduled", **people)
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(
            obj=obj,
            by=people["desk"],
            weighed=weighed(),
            vehicle_plate="桂A6P521",
            carrier_name="覃师傅",
            carrier_id_number="450103199002020031",
        )
    assert "carrier_id_number" in exc.value.message_dict
    assert not obj.lines.exists()


def test_only_a_supervisor_changes_the_price_and_with_a_reason(people, supervisor):
    obj = make_request("scheduled", **people)
    args = {"vehicle_plate": "桂A6P521", "carrier_name": "覃师傅", "carrier_id_number": carrier_id()}
    changed = [recyclables.Weighed("paper", "10", "2.00")]
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(obj=obj, by=people["desk"], weighed=changed, **args)
    assert "price_paper" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(obj=obj, by=supervisor, weighed=changed, **args)
    assert "reason_paper" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        negative = [recyclables.Weighed("paper", "10", "-2.00", "市场价")]
        recyclables.recycle_collect(obj=obj, by=supervisor, weighed=negative, **args)
    assert "price_paper" in exc.value.message_dict
    assert not obj.lines.exists()
    reasoned = [recyclables.Weighed("paper", "10", "2.00", "纸价上涨")]
    recyclables.recycle_collect(obj=obj, by=supervisor, weighed=reasoned, **args)
    line = obj.lines.get()
    assert (line.list_price, line.price_per_kg, line.amount) == (Decimal("1.20"), Decimal("2.00"), Decimal("20.00"))
    assert "recycle_request.price_changed" in _codes(obj)


def test_the_price_in_force_is_the_latest_from_before_the_day(people):
    today = timezone.localdate()
    RecyclePrice.objects.create(category="paper", effective_from=today - timedelta(days=1), price_per_kg="1.50")
    RecyclePrice.objects.create(category="paper", effective_from=today + timedelta(days=5), price_per_kg="9.00")
    assert recyclables.prices_in_force(today)["paper"] == Decimal("1.50")


def test_a_category_without_a_price_needs_the_supervisor(people):
    obj = make_request("scheduled", **people)
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(
            obj=obj,
            by=people["desk"],
            weighed=[recyclables.Weighed("glass", "4")],
            vehicle_plate="桂A6P521",
            carrier_name="覃师傅",
            carrier_id_number=carrier_id(),
        )
    assert "price_glass" in exc.value.message_dict


def test_an_inactive_recycler_or_a_past_time_cannot_be_scheduled(people):
    obj = make_request("requested", **people)
    retired = make_recycler("旧回收站", is_active=False)
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_schedule(
            obj=obj, by=people["desk"], recycler=retired, pickup_at=timezone.now() - timedelta(hours=1)
        )
    assert set(exc.value.message_dict) == {"recycler", "pickup_at"}


def test_refused_transitions(people, tenant_a_admin, tenant_b_admin, engineer):
    obj = make_request("requested", **people)
    recycler = make_recycler("另一家")
    with pytest.raises(PermissionDenied):
        recyclables.recycle_schedule(obj=obj, by=tenant_a_admin, recycler=recycler, pickup_at=timezone.now())
    with pytest.raises(PermissionDenied):
        recyclables.recycle_schedule(obj=obj, by=engineer, recycler=recycler, pickup_at=timezone.now())
    with pytest.raises(TransitionRefused):
        recyclables.recycle_settle(obj=obj, by=people["desk"])
    with pytest.raises(PermissionDenied):
        recyclables.recycle_withdraw(obj=obj, by=tenant_b_admin)
    with pytest.raises(ValidationError):
        recyclables.recycle_cancel(obj=obj, by=people["desk"], note="")
    with pytest.raises(PermissionDenied):
        recyclables.recycle_cancel(obj=obj, by=tenant_a_admin, note="x")


def test_the_company_withdraws_before_the_pickup_only(people, tenant_a_admin):
    obj = make_request("scheduled", **people)
    RecycleRequest.objects.filter(pk=obj.pk).update(pickup_at=timezone.now() - timedelta(minutes=5))
    obj.refresh_from_db()
    with pytest.raises(TransitionRefused):
        recyclables.recycle_withdraw(obj=obj, by=tenant_a_admin)
    fresh = make_request("scheduled", **people)
    recyclables.recycle_withdraw(obj=fresh, by=tenant_a_admin)
    assert fresh.status == RecycleRequest.Status.CANCELLED
    assert "recycle_request.withdrawn" in _codes(fresh)


def test_the_desk_cancels_with_a_reason(people):
    obj = make_request("cancelled", **people)
    assert obj.status == RecycleRequest.Status.CANCELLED
    event = AuditEvent.objects.get(object_id=obj.pk, action="recycle_request.cancelled")
    assert event.note == "业户改期"


def test_request_numbers_are_gapless(people):
    numbers = [make_request("requested", **people).number for _ in range(3)]
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == [1, 2, 3]


# --- the supervisor's form, numbers too large, a second submit ---------------------------------------


def test_a_supervisor_weighs_one_category_while_the_form_shows_every_price(people, supervisor):
    obj = make_request("scheduled", **people)
    args = {"vehicle_plate": "桂A6P521", "carrier_name": "覃师傅", "carrier_id_number": carrier_id()}
    metal_price = str(RecyclePrice.objects.filter(category="metal").latest("effective_from").price_per_kg)
    rows = [recyclables.Weighed("paper", "10", None), recyclables.Weighed("metal", "", metal_price)]
    recyclables.recycle_collect(obj=obj, by=supervisor, weighed=rows, **args)
    assert list(obj.lines.values_list("category", flat=True)) == ["paper"]


@pytest.mark.parametrize(("row", "field"), [(("1e30", None), "weight_paper"), (("10", "1000000"), "price_paper")])
def test_a_number_too_large_is_a_field_error(people, supervisor, row, field):
    obj = make_request("scheduled", **people)
    args = {"vehicle_plate": "桂A6P521", "carrier_name": "覃师傅", "carrier_id_number": carrier_id()}
    rows = [recyclables.Weighed("paper", row[0], row[1], "市场价")]
    with pytest.raises(ValidationError) as exc:
        recyclables.recycle_collect(obj=obj, by=supervisor, weighed=rows, **args)
    assert field in exc.value.message_dict
    assert not obj.lines.exists()


def test_a_second_pickup_submit_is_refused_and_issues_no_second_release_note(people):
    obj = make_request("scheduled", **people)
    stale = RecycleRequest.objects.get(pk=obj.pk)
    args = {"vehicle_plate": "桂A6P521", "carrier_name": "覃师傅", "carrier_id_number": carrier_id()}
    recyclables.recycle_collect(obj=obj, by=people["desk"], weighed=weighed(), **args)
    with pytest.raises(TransitionRefused):
        recyclables.recycle_collect(obj=stale, by=people["desk"], weighed=weighed(), **args)
    assert ReleaseNote.objects.count() == 1
    assert obj.lines.count() == 2


def test_a_supervisors_price_where_none_is_in_force_is_recorded_as_a_change(people, supervisor):
    obj = make_request("scheduled", **people)
    args = {"vehicle_plate": "桂A6P521", "carrier_name": "覃师傅", "carrier_id_number": carrier_id()}
    rows = [recyclables.Weighed("glass", "4", "0.30", "玻璃按市场价")]
    recyclables.recycle_collect(obj=obj, by=supervisor, weighed=rows, **args)
    event = AuditEvent.objects.get(object_id=obj.pk, action="recycle_request.price_changed")
    assert (event.data["from"], event.data["to"]) == ("—", "0.30")
