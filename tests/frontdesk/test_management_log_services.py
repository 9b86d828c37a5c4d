"""The building management log: the draft from the registry, carried items, remarks, signing,
the scheduler's daily opening and the signing deadline."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frontdesk import action_services, duty_services
from frontdesk import management_log_selectors as selectors
from frontdesk import management_log_services as services
from frontdesk.models import ManagementLog
from frontdesk.tasks import open_management_log
from jinyuan import navigation as nav
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import TransitionRefused
from tests.frontdesk.liaison_data import make_emergency
from tests.frontdesk.management_log_data import at, one_event_per_section, real_events

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 10)  # a Tuesday


def _rows(content, app):
    return next(s["rows"] for s in content["sections"] if s["app"] == app)


def test_the_draft_has_each_registered_sections_event_of_the_day_and_none_of_another(building, desk):
    emergency = make_emergency(building, desk)
    one_event_per_section(emergency, DAY - dt.timedelta(days=1), by=desk)
    today = one_event_per_section(emergency, DAY, by=desk)
    one_event_per_section(emergency, DAY + dt.timedelta(days=1), by=desk)

    content = selectors.draft(DAY)

    assert [s["app"] for s in content["sections"]] == [e.app for e in nav.log_events()]
    for section in nav.log_events():
        rows = _rows(content, section.app)
        assert [r["note"] for r in rows] == [f"{section.app} 事项"], section.app
        assert rows[0]["what"] and rows[0]["who"] == str(desk)
        assert rows[0]["record"] == emergency.number
        assert rows[0]["url"] == f"/desk/frontdesk/emergencies/{emergency.pk}/"
        assert rows[0]["at"] == timezone.localtime(today[section.app].at).strftime("%H:%M")


def test_an_event_no_section_registers_stays_out_of_the_log(building, desk):
    emergency = make_emergency(building, desk)
    from tests.frontdesk.management_log_data import event_at

    event_at(emergency, "emergency_unlisted.viewed", at(DAY, 11), by=desk)
    content = selectors.draft(DAY)
    assert all(r["what"] != "emergency_unlisted.viewed" for s in content["sections"] for r in s["rows"])


def test_emergencies_and_duty_entries_made_through_their_services_are_in_the_days_draft(building, desk, time_machine):
    time_machine.move_to(at(DAY, 10))
    emergency, entry = real_events(building, desk)

    content = selectors.draft(DAY)

    assert [r["record"] for r in _rows(content, "emergencies")] == [emergency.number]
    assert [r["record"] for r in _rows(content, "frontdesk_duty")] == [str(entry)]
    assert selectors.draft(DAY + dt.timedelta(days=1))["sections"] == [
        {**s, "rows": []} for s in selectors.draft(DAY + dt.timedelta(days=1))["sections"]
    ]


def test_an_item_noted_on_a_log_is_carried_forward_with_its_age_until_closed(desk, supervisor, engineer, time_machine):
    time_machine.move_to(at(DAY, 10))
    item = services.log_add_item(
        day=DAY, by=supervisor, text="3号电梯异响待厂家检修", owner=engineer, due_at=at(DAY + dt.timedelta(days=5))
    )
    assert item.record == ManagementLog.objects.get(date=DAY)

    later = DAY + dt.timedelta(days=3)
    time_machine.move_to(at(later, 10))
    carried = selectors.draft(later)["items"]
    assert [(i["text"], i["age"], i["since"]) for i in carried] == [("3号电梯异响待厂家检修", 3, DAY.isoformat())]
    assert selectors.draft(DAY - dt.timedelta(days=1))["items"] == []

    action_services.action_item_complete(obj=item, by=desk, note="厂家已更换导靴")
    assert selectors.draft(later + dt.timedelta(days=1))["items"] == []
    # The day it was still open keeps it.
    assert [i["text"] for i in selectors.draft(later - dt.timedelta(days=1))["items"]] == ["3号电梯异响待厂家检修"]


def test_closing_a_carried_item_needs_a_note(supervisor, engineer, time_machine):
    time_machine.move_to(at(DAY, 10))
    item = services.log_add_item(day=DAY, by=supervisor, text="消防通道堆物", owner=engineer, due_at=at(DAY, 18))
    client = Client()
    client.force_login(supervisor)
    day_url = reverse("desk:frontdesk:management_log_day", args=[DAY.isoformat()])
    url = reverse("desk:frontdesk:action_item_close", args=[item.pk])
    response = client.post(url, {"action": "complete", "note": "  ", "next": day_url})
    assert response.status_code == 302 and response["Location"] == day_url
    item.refresh_from_db()
    assert item.status == "open"
    client.post(url, {"action": "complete", "note": "已清理", "next": day_url})
    item.refresh_from_db()
    assert item.status == "done" and item.outcome == "已清理"


def test_open_duty_log_entries_are_carried_as_items(desk, time_machine):
    time_machine.move_to(at(DAY, 10))
    entry = duty_services.entry_log(by=desk, kind="request", text="12楼空调不制冷，待工程回复", is_open=True)
    next_day = DAY + dt.timedelta(days=1)
    assert [(i["kind"], i["text"], i["age"]) for i in selectors.draft(next_day)["items"]] == [("duty", entry.text, 1)]


def test_signing_freezes_the_content_issues_a_pdf_and_stops_the_deadline(building, desk, supervisor, time_machine):
    time_machine.move_to(at(DAY, 10))
    emergency = make_emergency(building, desk)
    services.log_write_remarks(day=DAY, by=supervisor, building_remarks="大厦运行正常", manager_opinion="注意雨季防水")
    time_machine.move_to(at(DAY, 20))
    log = services.log_sign(day=DAY, by=supervisor)

    assert log.status == ManagementLog.Status.SIGNED and log.signed_by == supervisor
    assert [r["record"] for r in _rows(log.content, "emergencies")] == [emergency.number]
    # A later event of the same day changes nothing on the signed log.
    time_machine.move_to(at(DAY, 22))
    make_emergency(building, desk)
    log.refresh_from_db()
    content, frozen = selectors.content_of(log, DAY)
    assert frozen and [r["record"] for r in _rows(content, "emergencies")] == [emergency.number]
    assert len(_rows(selectors.draft(DAY), "emergencies")) == 2

    doc = Document.objects.get(pk=log.document_id)
    assert doc.kind == "management_log" and doc.number.startswith("RZ-2026-")
    assert AuditEvent.objects.filter(action="management_log.signed", object_id=log.pk, actor=supervisor).count() == 1
    deadline = Deadline.objects.get(kind="log_sign", object_id=log.pk)
    assert deadline.state == Deadline.State.STOPPED and deadline.met is True


def test_signing_twice_changes_nothing(supervisor, time_machine):
    time_machine.move_to(at(DAY, 10))
    log = services.log_sign(day=DAY, by=supervisor)
    with pytest.raises(TransitionRefused):
        services.log_sign(day=DAY, by=supervisor)
    with pytest.raises(TransitionRefused):
        services.log_write_remarks(day=DAY, by=supervisor, building_remarks="改", manager_opinion="")
    assert Document.objects.filter(object_id=log.pk, kind="management_log").count() == 1
    assert AuditEvent.objects.filter(action="management_log.signed").count() == 1


def test_only_a_supervisor_signs_and_a_refusal_leaves_nothing(desk, time_machine):
    time_machine.move_to(at(DAY, 10))
    with pytest.raises(PermissionDenied):
        services.log_sign(day=DAY, by=desk)
    assert not ManagementLog.objects.exists()
    assert not Document.objects.exists()


def test_the_scheduler_opens_yesterdays_log_once_with_its_deadline_under_a_double_run(time_machine):
    time_machine.move_to(at(DAY, 0, 10))
    assert open_management_log() is True
    assert open_management_log() is False

    log = ManagementLog.objects.get()
    assert log.date == DAY - dt.timedelta(days=1) and log.status == ManagementLog.Status.OPEN
    deadline = Deadline.objects.get(kind="log_sign", object_id=log.pk)
    # Due at noon of the next working day after the log's date (Monday's log: Tuesday noon).
    assert timezone.localtime(deadline.due_at) == at(DAY, 12)
    assert deadline.state == Deadline.State.RUNNING
    assert AuditEvent.objects.filter(action="management_log.opened").count() == 1


def test_a_fridays_log_is_due_on_monday_noon(time_machine):
    friday = dt.date(2026, 11, 13)
    time_machine.move_to(at(friday + dt.timedelta(days=1), 0, 10))
    services.open_yesterday()
    deadline = Deadline.objects.get(kind="log_sign")
    assert timezone.localtime(deadline.due_at) == at(dt.date(2026, 11, 16), 12)


def test_an_item_noted_today_on_a_past_days_log_is_on_that_log_aged_from_its_date(supervisor, engineer, time_machine):
    time_machine.move_to(at(DAY + dt.timedelta(days=2), 10))
    services.log_add_item(
        day=DAY, by=supervisor, text="补记：水泵异响", owner=engineer, due_at=at(DAY, 18) + dt.timedelta(days=5)
    )
    assert [(i["text"], i["age"]) for i in selectors.draft(DAY)["items"]] == [("补记：水泵异响", 0)]
    assert [i["age"] for i in selectors.draft(DAY + dt.timedelta(days=2))["items"]] == [2]
    assert selectors.draft(DAY - dt.timedelta(days=1))["items"] == []
