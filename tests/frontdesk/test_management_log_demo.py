"""The demo's month of management logs, seeded through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from demo import frontdesk_management_log as demo
from frontdesk import management_log_selectors as selectors
from frontdesk.models import ManagementLog
from jinyuan.workflow.models import Deadline

pytestmark = pytest.mark.django_db


def test_a_month_of_logs_most_signed_yesterdays_open_and_items_carried(supervisor, engineer):
    today = timezone.localdate()
    demo.through_services(demo.People(supervisor, engineer), today)

    logs = ManagementLog.objects.order_by("date")
    assert logs.count() == demo.DAYS
    yesterday = today - dt.timedelta(days=1)
    assert [log.date for log in logs.filter(status="open")] == [yesterday]
    assert all(log.building_remarks and log.signed_by == supervisor for log in logs.filter(status="signed"))
    assert Deadline.objects.filter(kind="log_sign", state="running").count() == 1
    assert Deadline.objects.filter(kind="log_sign", met=False).exists()  # a few signed late
    carried = selectors.draft(yesterday)["items"]
    assert len(carried) == 2 and all(i["age"] > 0 for i in carried)
