"""Temporary power 临时用电: the services (application rules, every transition allowed and
refused, the fee, the overdue switch-off deadline, the live list for security's board)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import Bill, FeeItem
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from permits import power_selectors
from permits import temporary_power as power
from permits.models import TemporaryPower
from tests.permits.power_fixtures import ALL_TICKED, power_fields

pytestmark = pytest.mark.django_db
S = TemporaryPower.Status


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def events(permit) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=permit.pk, action__startswith="temporary_power.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- the application ------------------------------------------------------------------------


def test_an_application_waits_for_engineering_and_tells_it(apply_power, engineer):
    permit = apply_power()
    assert permit.status == S.SUBMITTED
    assert events(permit) == ["temporary_power.submitted"]
    assert Notification.objects.filter(recipient=engineer).exists()


def test_a_load_above_the_units_supply_is_refused_beside_the_load(apply_power, unit_a):
    unit_a.power_supply_kw = Decimal("5.0")
    unit_a.save()
    with pytest.raises(ValidationError) as exc:
        apply_power(load_kw=Decimal("5.1"))
    assert "5.0 kW" in errors_of(exc)["load_kw"][0]
    assert not TemporaryPower.objects.exists()
    assert apply_power(load_kw=Decimal("5.0")).load_kw == Decimal("5.0")


def test_a_unit_without_a_recorded_supply_is_held_to_the_buildings_limit(apply_power, unit_a, settings):
    assert unit_a.power_supply_kw is None
    with pytest.raises(ValidationError) as exc:
        apply_power(load_kw=Decimal("20.5"))
    assert "20" in errors_of(exc)["load_kw"][0]
    settings.TEMPORARY_POWER_MAX_KW = 40
    assert apply_power(load_kw=Decimal("20.5")).status == S.SUBMITTED


def test_a_public_location_needs_its_description(tenant_a, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        power.power_apply(tenant=tenant_a, by=tenant_a_admin, **power_fields(None, location=""))
    assert "location" in errors_of(exc)
    permit = power.power_apply(tenant=tenant_a, by=tenant_a_admin, **power_fields(None, location="12F东侧走廊"))
    assert permit.place == "12F东侧走廊"


def test_another_companys_unit_is_refused(tenant_a, tenant_a_admin, unit_b, tenant_b):
    with pytest.raises(ValidationError) as exc:
        power.power_apply(tenant=tenant_a, by=tenant_a_admin, **power_fields(unit_b))
    assert "unit" in errors_of(exc)


def test_a_certificate_expiring_before_the_period_ends_is_a_field_error(apply_power):
    start = timezone.now() + dt.timedelta(hours=2)
    end = start + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as exc:
        apply_power(starts_at=start, ends_at=end, certificate_expiry=timezone.localdate() + dt.timedelta(days=3))
    assert list(errors_of(exc)) == ["certificate_expiry"]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(days=1)}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"voltage": 220, "phases": 3}, "phases"),
        ({"voltage": 380, "phases": 1}, "phases"),
        ({"load_kw": Decimal("0")}, "load_kw"),
        ({"phone": "12345"}, "phone"),
        ({"electrician_name": " "}, "electrician_name"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(apply_power, over, field):
    with pytest.raises(ValidationError) as exc:
        apply_power(**over)
    assert field in errors_of(exc)
    assert not TemporaryPower.objects.exists()


# --- transitions allowed -----------------------------------------------------------------------


def test_the_whole_flow_records_every_step_in_the_timeline(make_power):
    permit = make_power("closed")
    assert permit.status == S.CLOSED
    assert events(permit) == [
        "temporary_power.submitted",
        "temporary_power.approved",
        "temporary_power.inspected",
        "temporary_power.switched_on",
        "temporary_power.switched_off",
        "temporary_power.billed",
        "temporary_power.closed",
    ]


def test_approval_issues_the_numbered_paper_for_the_period(make_power):
    permit = make_power("approved")
    doc = permit.document
    assert doc.kind == "temporary_power_permit" and doc.number.startswith("LD-")
    assert (doc.valid_from, doc.valid_until) == (permit.starts_at, permit.ends_at)
    assert doc.data["load"] == "8.0" and "1201" in doc.data["place"]


def test_a_returned_application_is_corrected_and_sent_again(make_power, tenant_a_admin):
    permit = make_power("returned")
    power.power_correct(obj=permit, by=tenant_a_admin, load_kw=Decimal("6.0"))
    permit.refresh_from_db()
    assert permit.status == S.SUBMITTED and permit.load_kw == Decimal("6.0")
    assert events(permit)[-1] == "temporary_power.resubmitted"


def test_withdrawing_after_approval_revokes_the_paper(make_power, tenant_a_admin):
    permit = make_power("inspected")
    power.power_withdraw(obj=permit, by=tenant_a_admin)
    permit.refresh_from_db()
    assert permit.status == S.WITHDRAWN
    assert permit.document.status == Document.Status.REVOKED


# --- transitions refused -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tenant_a_admin", "desk", "guard", "finance"])
def test_only_engineering_approves(make_power, persona, who):
    permit = make_power("submitted")
    with pytest.raises(PermissionDenied):
        power.power_approve(obj=permit, by=persona(who))
    permit.refresh_from_db()
    assert permit.status == S.SUBMITTED and permit.document_id is None


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("submitted", "inspect"),
        ("approved", "switch_on"),
        ("inspected", "switch_off"),
        ("switched_on", "approve"),
        ("closed", "switch_off"),
    ],
)
def test_a_step_out_of_order_is_refused(make_power, engineer, state, step):
    permit = make_power(state)
    calls = {
        "inspect": lambda: power.power_inspect(obj=permit, by=engineer, checklist=ALL_TICKED),
        "switch_on": lambda: power.power_switch_on(obj=permit, by=engineer, meter_start=Decimal(1)),
        "switch_off": lambda: power.power_switch_off(obj=permit, by=engineer, meter_end=Decimal(99999)),
        "approve": lambda: power.power_approve(obj=permit, by=engineer),
    }
    with pytest.raises(TransitionRefused):
        calls[step]()
    permit.refresh_from_db()
    assert permit.status == state


@pytest.mark.parametrize("state", ["switched_on", "switched_off", "rejected"])
def test_no_withdrawal_once_switched_on_or_decided(make_power, tenant_a_admin, state):
    permit = make_power(state)
    with pytest.raises(TransitionRefused):
        power.power_withdraw(obj=permit, by=tenant_a_admin)


def test_another_company_cannot_withdraw(make_power, tenant_b_admin):
    permit = make_power("submitted")
    with pytest.raises(PermissionDenied):
        power.power_withdraw(obj=permit, by=tenant_b_admin)


def test_the_desk_cannot_switch_on(make_power, desk):
    permit = make_power("inspected")
    with pytest.raises(PermissionDenied):
        power.power_switch_on(obj=permit, by=desk, meter_start=Decimal(1))


def test_the_inspection_needs_every_item_ticked(make_power, engineer):
    permit = make_power("approved")
    with pytest.raises(ValidationError) as exc:
        power.power_inspect(obj=permit, by=engineer, checklist=ALL_TICKED[:-1])
    assert "checklist" in errors_of(exc)
    permit.refresh_from_db()
    assert permit.status == S.APPROVED


def test_switching_on_needs_a_reading_or_no_meter(make_power, engineer):
    permit = make_power("inspected")
    with pytest.raises(ValidationError) as exc:
        power.power_switch_on(obj=permit, by=engineer)
    assert "meter_start" in errors_of(exc)


def test_an_end_reading_below_the_start_is_a_field_error_and_bills_nothing(make_power, engineer):
    permit = make_power("switched_on", meter_start=Decimal("1500.0"))
    with pytest.raises(ValidationError) as exc:
        power.power_switch_off(obj=permit, by=engineer, meter_end=Decimal("1499.9"))
    assert "1500.0" in errors_of(exc)["meter_end"][0]
    permit.refresh_from_db()
    assert permit.status == S.SWITCHED_ON and permit.meter_end is None
    assert not Bill.objects.exists()


# --- the fee ---------------------------------------------------------------------------------------


def test_metered_kwh_times_the_rate_is_billed_with_a_line_pointing_back(make_power):
    permit = make_power("switched_off", meter_start=Decimal("1000.0"), meter_end=Decimal("1123.4"))
    bill = permit.bill
    assert permit.fee == Decimal("148.08")  # 123.4 kWh × 1.20
    assert bill.source_key == f"temporarypower:{permit.pk}" and bill.total == Decimal("148.08")
    line = bill.lines.get()
    assert line.quantity == Decimal("123.4") and line.unit_price == Decimal("1.20")


def test_the_fee_is_rounded_to_the_fen_half_up():
    assert power.fee_amount(Decimal("10.3"), Decimal("1.15")) == Decimal("11.85")  # 11.845
    assert power.fee_amount(Decimal("0.1"), Decimal("0.33")) == Decimal("0.03")  # 0.033
    assert power.fee_amount(Decimal("0"), Decimal("1.20")) == Decimal("0.00")


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (121, 3), (0, 1)],
)
def test_part_hours_are_rounded_up(minutes, hours):
    on = timezone.now()
    assert power.billed_hours(on, on + dt.timedelta(minutes=minutes)) == hours


def test_without_a_meter_load_times_started_hours_times_the_rate(make_power, engineer):
    permit = make_power("switched_on", meter_start=None, load_kw=Decimal("7.5"))
    assert permit.has_meter is False
    # Switched on 2 h 10 min ago: three started hours.
    TemporaryPower.objects.filter(pk=permit.pk).update(switched_on_at=timezone.now() - dt.timedelta(minutes=130))
    permit.refresh_from_db()
    power.power_switch_off(obj=permit, by=engineer)
    permit.refresh_from_db()
    assert permit.fee == Decimal("27.00")  # 7.5 kW × 3 h × 1.20
    assert permit.bill.lines.get().quantity == Decimal("22.5")


def test_the_rate_is_the_price_lists_fee_item(make_power):
    FeeItem.objects.filter(code="temp_power_kwh").update(price=Decimal("0.95"))
    permit = make_power("switched_off", meter_start=Decimal("0"), meter_end=Decimal("10.5"))
    assert permit.fee == Decimal("9.98")  # 9.975 half up


def test_an_unpriced_rate_bills_nothing(make_power):
    FeeItem.objects.filter(code="temp_power_kwh").update(is_active=False)
    permit = make_power("switched_off")
    assert permit.bill_id is None and permit.fee is None and not Bill.objects.exists()


# --- the overdue switch-off ------------------------------------------------------------------------


def test_switching_on_starts_the_switch_off_deadline_at_the_periods_end(make_power, engineer, supervisor):
    permit = make_power("switched_on")
    row = Deadline.objects.get(object_id=permit.pk, kind="switch_off")
    assert row.due_at == permit.ends_at and row.state == "running"
    key = f"deadline-{row.pk}-"
    scan(now=permit.ends_at + dt.timedelta(minutes=1))
    assert Notification.objects.filter(recipient=engineer, dedup_key__startswith=key).exists()
    assert not Notification.objects.filter(recipient=supervisor, dedup_key__startswith=key).exists()
    scan(now=permit.ends_at + dt.timedelta(hours=5))
    assert Notification.objects.filter(recipient=supervisor, dedup_key__startswith=key).exists()


def test_switching_off_stops_the_deadline(make_power):
    permit = make_power("switched_off")
    row = Deadline.objects.get(object_id=permit.pk, kind="switch_off")
    assert row.state != "running" and row.met is True


# --- live permits for security's board -----------------------------------------------------------


def test_live_power_permits_are_switched_on_or_starting_within_a_day_in_one_query(make_power):
    on = make_power("switched_on")
    soon = make_power("approved")
    later = make_power(
        "approved",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=4),
    )
    make_power("submitted")
    make_power("closed")
    with CaptureQueriesContext(connection) as ctx:
        rows = list(power_selectors.live_power_permits(timezone.now()))
        places = [(p.tenant.name, p.place) for p in rows]  # what security's board shows
    assert len(ctx.captured_queries) == 1
    assert {p.pk for p in rows} == {on.pk, soon.pk}
    assert later.pk not in {p.pk for p in rows} and len(places) == 2


def test_switching_on_more_than_an_hour_before_the_period_is_refused(make_power, engineer):
    later = timezone.now() + dt.timedelta(hours=3)
    permit = make_power("inspected", starts_at=later, ends_at=later + dt.timedelta(hours=8))
    with pytest.raises(TransitionRefused):
        power.power_switch_on(obj=permit, by=engineer, meter_start=Decimal(1))
    permit.refresh_from_db()
    assert permit.status == S.INSPECTED


def test_switching_on_after_the_period_is_refused(make_power, engineer):
    permit = make_power("inspected")
    past = timezone.now() - dt.timedelta(minutes=1)
    TemporaryPower.objects.filter(pk=permit.pk).update(starts_at=past - dt.timedelta(hours=4), ends_at=past)
    permit.refresh_from_db()
    with pytest.raises(TransitionRefused):
        power.power_switch_on(obj=permit, by=engineer, meter_start=Decimal(1))
