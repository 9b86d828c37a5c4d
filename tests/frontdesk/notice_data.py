"""Announcement helpers for the tests of tests/frontdesk/test_*notice*.py: a draft with the
usual fields, and one moved to a state through the services by the personas."""

import datetime as dt

from django.utils import timezone

from frontdesk import notice_services as services
from frontdesk.models import Announcement


def draft(desk, **over) -> Announcement:
    now = timezone.now()
    fields = {
        "title": "周六上午停水通知",
        "text": "因二次供水设备检修，本周六 8:00–12:00 全楼停水，请提前储水。",
        "category": Announcement.Category.WATER_OUTAGE,
        "urgent": True,
        "audience": Announcement.Audience.ALL,
        "publish_at": now - dt.timedelta(minutes=1),
        "expires_at": now + dt.timedelta(days=3),
    }
    return services.announcement_draft(by=desk, **{**fields, **over})


def published(desk, supervisor, **over) -> Announcement:
    obj = draft(desk, **over)
    return services.announcement_approve(obj=obj, by=supervisor)


def make(state: str, desk, supervisor, **over) -> Announcement:
    """An announcement in ``state`` (draft, approved, published, withdrawn, expired)."""
    if state == "draft":
        return draft(desk, **over)
    if state == "approved":
        now = timezone.now()
        over = {"publish_at": now + dt.timedelta(days=1), "expires_at": now + dt.timedelta(days=2), **over}
        return services.announcement_approve(obj=draft(desk, **over), by=supervisor)
    obj = published(desk, supervisor, **over)
    if state == "withdrawn":
        services.announcement_withdraw(obj=obj, by=desk, note="通知有误")
    elif state == "expired":
        services.publish_due(now=obj.expires_at + dt.timedelta(minutes=1))
        obj.refresh_from_db()
    return obj


def _access_maker(state: str):
    """An announcement to tenant A only (tenant B is not addressed: its users get a 404)."""

    def maker(r):
        tenant_a = r.fixture("tenant_a")
        r.fixture("tenant_b")
        return make(
            state,
            r.fixture("desk"),
            r.fixture("supervisor"),
            audience=Announcement.Audience.TENANTS,
            tenants=[tenant_a],
        )

    return maker


# The access matrix's records (tests/frontdesk/test_access_notices.py and the shared matrix).
ACCESS_MAKERS = {f"announcement_{state}": _access_maker(state) for state in ("published", "draft", "withdrawn")}
