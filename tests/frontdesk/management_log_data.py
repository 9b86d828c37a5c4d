"""Records of the management log's tests: a day's events for every registered section, made
through the apps' services where cheap (an emergency, a duty-log entry), else audit events
written with the section's registered code."""

import datetime as dt

from django.utils import timezone

from frontdesk import duty_services
from jinyuan import navigation as nav
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import record_event
from tests.frontdesk.liaison_data import make_emergency

TZ = timezone.get_current_timezone()


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def code_of(section: nav.LogEvents) -> str:
    """A code the section matches: its first, a prefix completed."""
    code = section.codes[0]
    return f"{code}noted" if code.endswith(".") else code


def event_at(record, action: str, when: dt.datetime, *, by=None, note: str = "") -> AuditEvent:
    event = record_event(record, action, by=by, note=note)
    AuditEvent.objects.filter(pk=event.pk).update(at=when)
    event.at = when
    return event


def one_event_per_section(record, day: dt.date, *, by=None) -> dict[str, AuditEvent]:
    """One event of ``day`` with each registered section's code, on ``record``, by section."""
    return {
        section.app: event_at(record, code_of(section), at(day, 9, i % 60), by=by, note=f"{section.app} 事项")
        for i, section in enumerate(nav.log_events())
    }


def real_events(building, desk):
    """An emergency and a duty-log entry, through their services, now (move the clock first)."""
    now = timezone.now()
    emergency = make_emergency(building, desk, occurred_at=now - dt.timedelta(minutes=5))
    entry = duty_services.entry_log(by=desk, kind="visitor", text="访客登记：快递员送件", now=now)
    return emergency, entry
