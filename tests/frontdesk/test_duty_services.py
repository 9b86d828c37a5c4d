"""The duty log's services: shifts from the setting, entries, open items, the handover signed
by the leaving and the arriving clerk, and the deadline step of a shift left without one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontdesk import duty_selectors, duty_services
from frontdesk.models import DutyEntry, Shift
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from tests import factories

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(day: str, time: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), TZ)


@pytest.fixture
def desk_b(db):
    return factories.UserFactory(username="desk_b", display_name="desk_b", roles=["front_desk"])


def events(obj, action):
    return AuditEvent.objects.filter(object_id=obj.pk, action=action)


def test_the_day_shift_runs_from_eight_to_eight():
    window = duty_services.window_at(at("2026-12-07", "09:30"))
    assert (window.code, window.starts_at, window.ends_at) == (
        "day",
        at("2026-12-07", "08:00"),
        at("2026-12-07", "20:00"),
    )


def test_a_night_shift_after_midnight_belongs_to_the_evening_it_began():
    window = duty_services.window_at(at("2026-12-08", "02:00"))
    assert (window.date, window.code) == (dt.date(2026, 12, 7), "night")
    assert window.ends_at == at("2026-12-08", "08:00")


def test_the_shifts_come_from_the_setting(settings):
    settings.FRONTDESK_SHIFTS = [
        {"code": "early", "label": "Day shift", "starts": "07:00", "ends": "15:00"},
        {"code": "late", "label": "Night shift", "starts": "15:00", "ends": "07:00"},
    ]
    assert duty_services.window_at(at("2026-12-07", "14:59")).code == "early"
    assert duty_services.window_at(at("2026-12-07", "06:59")).code == "late"


def test_the_first_clerk_opens_the_shift_and_the_second_joins_it(desk, desk_b):
    now = at("2026-12-07", "09:00")
    shift = duty_services.shift_open(by=desk, now=now)
    again = duty_services.shift_open(by=desk_b, now=now + dt.timedelta(minutes=5))
    assert again.pk == shift.pk and Shift.objects.count() == 1
    assert set(shift.clerks.values_list("username", flat=True)) == {"desk", "desk_b"}
    assert events(shift, "shift.opened").get().actor == desk
    assert events(shift, "shift.joined").get().actor == desk_b
    # The handover deadline runs to the shift's end.
    assert Deadline.objects.get(object_id=shift.pk, kind="handover").due_at == at("2026-12-07", "20:00")


def test_the_first_entry_opens_the_shift(desk):
    entry = duty_services.entry_log(by=desk, kind="parcel", text="顺丰快递 1201 代收", now=timezone.now())
    assert entry.shift.clerks.filter(pk=desk.pk).exists()
    assert events(entry, "duty_entry.logged").exists()


@pytest.mark.parametrize(
    ("text", "kind", "field"),
    [("", "visitor", "text"), ("   ", "visitor", "text"), ("x" * 1001, "visitor", "text"), ("ok", "gossip", "kind")],
)
def test_an_empty_oversized_or_unknown_entry_is_a_field_error(desk, text, kind, field):
    with pytest.raises(ValidationError) as exc:
        duty_services.entry_log(by=desk, kind=kind, text=text)
    assert field in exc.value.message_dict
    assert not DutyEntry.objects.exists()


def test_an_open_item_is_closed_once_with_who_and_how(desk, desk_b):
    entry = duty_services.entry_log(by=desk, kind="request", text="1502 要求开通门禁卡", is_open=True)
    duty_services.entry_close(obj=entry, by=desk_b, note="已转秩序部办理")
    entry.refresh_from_db()
    assert (entry.closed_by, entry.closing_note) == (desk_b, "已转秩序部办理")
    with pytest.raises(ValidationError):
        duty_services.entry_close(obj=entry, by=desk, note="again")
    assert events(entry, "duty_entry.closed").count() == 1


def test_closing_needs_to_say_how(desk):
    entry = duty_services.entry_log(by=desk, kind="request", text="待办", is_open=True)
    with pytest.raises(ValidationError) as exc:
        duty_services.entry_close(obj=entry, by=desk, note=" ")
    assert "note" in exc.value.message_dict


@pytest.mark.parametrize("arriving", [None, "self", "engineer"])
def test_a_handover_without_another_desk_clerk_is_a_field_error(desk, engineer, arriving):
    shift = duty_services.shift_open(by=desk)
    person = {None: None, "self": desk, "engineer": engineer}[arriving]
    with pytest.raises(ValidationError) as exc:
        duty_services.shift_hand_over(obj=shift, by=desk, arriving=person, notes="一切正常")
    assert "arriving" in exc.value.message_dict
    shift.refresh_from_db()
    assert shift.status == Shift.Status.OPEN


def test_the_handover_carries_the_open_items_to_the_next_shift(desk, desk_b):
    now = at("2026-12-07", "19:30")
    open_item = duty_services.entry_log(by=desk, kind="parcel", text="1201 的快递未取", is_open=True, now=now)
    duty_services.entry_log(by=desk, kind="visitor", text="访客问路", now=now)
    shift = open_item.shift
    duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b, notes="快递在前台柜", now=now)
    handed = events(shift, "shift.handed_over").get()
    assert handed.actor == desk and handed.data["open_items"] == 1
    duty_services.shift_accept(obj=shift, by=desk_b, now=now + dt.timedelta(minutes=20))
    shift.refresh_from_db()
    assert shift.status == Shift.Status.ACCEPTED and shift.accepted_at
    assert events(shift, "shift.accepted").get().actor == desk_b
    following = duty_services.live_shift(now + dt.timedelta(minutes=20))
    assert (following.date, following.code) == (dt.date(2026, 12, 7), "night")
    assert following.clerks.filter(pk=desk_b.pk).exists()
    assert list(duty_selectors.carried_over(following)) == [open_item]
    # Closed, it is carried no further.
    duty_services.entry_close(obj=open_item, by=desk_b, note="业户已取")
    assert not duty_selectors.carried_over(following).exists()


def test_only_the_named_arriving_clerk_signs(desk, desk_b, supervisor):
    shift = duty_services.shift_open(by=desk)
    duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b)
    for other in (desk, supervisor):
        with pytest.raises(PermissionDenied):
            duty_services.shift_accept(obj=shift, by=other)
    shift.refresh_from_db()
    assert shift.status == Shift.Status.HANDED_OVER


def test_a_shift_is_handed_over_and_signed_once(desk, desk_b):
    shift = duty_services.shift_open(by=desk)
    with pytest.raises(TransitionRefused):
        duty_services.shift_accept(obj=shift, by=desk_b)  # nothing written yet
    duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b)
    with pytest.raises(TransitionRefused):
        duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b)
    duty_services.shift_accept(obj=shift, by=desk_b)
    with pytest.raises(TransitionRefused):
        duty_services.shift_accept(obj=shift, by=desk_b)


def test_a_shift_ending_without_a_signed_handover_is_escalated_to_the_supervisor_once(desk, supervisor):
    shift = duty_services.shift_open(by=desk, now=at("2026-12-07", "08:05"))
    later = at("2026-12-07", "20:30")
    scan(now=later)
    scan(now=later)  # a second scan sends nothing again
    sent = Notification.objects.filter(recipient=supervisor)
    assert sent.count() == 1
    assert "Overdue" in sent.get().message
    assert Notification.objects.filter(recipient=desk).count() == 1  # the reminder before the end
    deadline = Deadline.objects.get(object_id=shift.pk, kind="handover")
    assert deadline.state == Deadline.State.RUNNING


def test_a_signed_handover_stops_the_deadline(desk, desk_b, supervisor):
    shift = duty_services.shift_open(by=desk, now=at("2026-12-07", "08:05"))
    duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b, now=at("2026-12-07", "19:55"))
    duty_services.shift_accept(obj=shift, by=desk_b, now=at("2026-12-07", "19:58"))
    deadline = Deadline.objects.get(object_id=shift.pk, kind="handover")
    assert deadline.state == Deadline.State.STOPPED
    scan(now=at("2026-12-07", "21:00"))
    assert not Notification.objects.filter(recipient=supervisor, args__record=str(shift)).exists()


def test_an_open_inquirys_line_is_closed_by_the_inquiry_not_by_hand(desk):
    from frontdesk import inquiry_services

    inquiry = inquiry_services.inquiry_log(by=desk, channel="walk_in", kind="request", question="空调不制冷")
    line = DutyEntry.objects.get(record_id=inquiry.pk, is_open=True)
    with pytest.raises(ValidationError) as exc:
        duty_services.entry_close(obj=line, by=desk, note="已处理")
    assert "note" in exc.value.message_dict
    line.refresh_from_db()
    assert line.closed_at is None


def test_a_handover_signed_after_the_next_shift_ended_puts_the_clerk_on_the_shift_running_now(desk, desk_b):
    now = at("2026-12-07", "19:30")
    shift = duty_services.shift_open(by=desk, now=now)
    duty_services.shift_hand_over(obj=shift, by=desk, arriving=desk_b, notes="正常", now=now)
    late = at("2026-12-08", "09:00")  # the night shift ended at 08:00
    duty_services.shift_accept(obj=shift, by=desk_b, now=late)
    assert not Shift.objects.filter(date=dt.date(2026, 12, 7), code="night").exists()
    running = duty_services.live_shift(late)
    assert (running.date, running.code) == (dt.date(2026, 12, 8), "day")
    assert running.clerks.filter(pk=desk_b.pk).exists()
