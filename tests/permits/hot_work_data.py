"""Hot-work permits for tests: a valid application's fields, and a permit of tenant A in any
state, moved there through the services by the personas (``make_hot_work``)."""

import datetime as dt

from django.utils import timezone

from permits import hot_work
from permits.models import HotWorkPermit
from permits.models.hot_work import FIRE_WATCH, Measure, SiteCheck

STATES = [s.value for s in HotWorkPermit.Status]


def window(now: dt.datetime | None = None, *, hour: int = 9, hours: int = 4) -> tuple[dt.datetime, dt.datetime]:
    """The first window the notice rule allows: ``hour`` o'clock of the earliest day."""
    start = hot_work.earliest_start(now or timezone.now()) + dt.timedelta(hours=hour)
    return start, start + dt.timedelta(hours=hours)


def permit_fields(unit, now: dt.datetime | None = None, **over) -> dict:
    start, end = window(now)
    return {
        "renovation": None,
        "unit": unit,
        "part": "厨房东墙",
        "work": "焊接吧台钢架",
        "method": HotWorkPermit.Method.ELECTRIC_WELDING,
        "starts_at": start,
        "ends_at": end,
        "operator_name": "韦师傅",
        "certificate_number": "T450103199001011234",
        "certificate_expiry": timezone.localdate(end) + dt.timedelta(days=365),
        "fire_watch_name": "黄看火",
        "fire_watch_phone": "13877110099",
        "area_m2": "60",
        "extinguishers": 2,
        "measures": list(Measure.values),
        **over,
    }


def make_hot_work(state: str, *, tenant, applicant, engineer, guard, unit=None, **over) -> HotWorkPermit:
    """Tenant ``tenant``'s permit in ``state``; the states after approval are reached with the
    services' ``now=`` (inside the window, after the fire watch)."""
    unit = unit or tenant.occupancies.first().unit
    permit = hot_work.hot_work_apply(tenant=tenant, by=applicant, **permit_fields(unit, **over))
    if state == "submitted":
        return permit
    if state in ("returned", "rejected") or state == "withdrawn":
        if state == "rejected":
            return hot_work.hot_work_reject(obj=permit, by=engineer, note="方案不全")
        hot_work.hot_work_send_back(obj=permit, by=engineer, note="请补充灭火器位置")
        if state == "withdrawn":
            hot_work.hot_work_withdraw(obj=permit, by=applicant)
        return permit
    hot_work.hot_work_engineering_approve(obj=permit, by=engineer)
    if state == "security_review":
        return permit
    hot_work.hot_work_security_approve(obj=permit, by=guard)
    inside = permit.starts_at + dt.timedelta(minutes=10)
    if state == "expired":
        hot_work.hot_work_expire(obj=permit, now=permit.ends_at + dt.timedelta(minutes=1))
    elif state == "stopped":
        hot_work.hot_work_stop(obj=permit, by=guard, note="现场未清理可燃物")
    elif state in ("in_progress", "fire_watch", "closed"):
        hot_work.hot_work_site_check(obj=permit, by=guard, ticked=SiteCheck.values, now=inside)
        if state in ("fire_watch", "closed"):
            hot_work.hot_work_end(obj=permit, by=guard, now=inside + dt.timedelta(hours=1))
        if state == "closed":
            after = permit.work_ended_at + FIRE_WATCH
            hot_work.hot_work_recheck(obj=permit, by=guard, detectors_restored=True, now=after)
    permit.refresh_from_db()
    assert permit.status == state, (state, permit.status)
    return permit
