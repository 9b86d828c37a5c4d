"""Every closed complaint gets a return visit 3 working days after closing; 不满意 reopens it
(counted, a new reply deadline); the visit and the reopen are one transaction."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from jinyuan.followups.models import FollowUp
from jinyuan.followups.services import followup_record
from jinyuan.workflow.models import CalendarDay, Deadline

from .helpers import in_state

pytestmark = pytest.mark.django_db


def visits(complaint):
    return FollowUp.objects.filter(object_id=complaint.pk, content_type__model="complaint")


def test_closing_schedules_the_return_visit_three_working_days_later(desk, supervisor, engineer):
    # Closed on Friday 30 April 2027; 1 to 5 May are off (holiday and weekend), so the working
    # days after it are Thursday 6, Friday 7 and, after the weekend, Monday 10 May.
    for d in (3, 4, 5):
        CalendarDay.objects.update_or_create(date=date(2027, 5, d), defaults={"is_working": False})
    for d in (6, 7, 10):
        CalendarDay.objects.update_or_create(date=date(2027, 5, d), defaults={"is_working": True})
    for d in (1, 2, 8, 9):
        CalendarDay.objects.update_or_create(date=date(2027, 5, d), defaults={"is_working": False})
    with time_machine.travel(timezone.make_aware(datetime(2027, 4, 30, 10, 0)), tick=False):
        complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    (visit,) = visits(complaint)
    assert visit.status == "open" and visit.due_on == date(2027, 5, 10)


def test_every_complaint_gets_one_however_it_went(desk, supervisor, engineer):
    for _ in range(3):
        in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    assert FollowUp.objects.filter(content_type__model="complaint").count() == 3


def test_dissatisfied_reopens_counted_with_a_new_reply_deadline(desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    (visit,) = visits(complaint)
    followup_record(followup=visit, result="dissatisfied", channel="phone", comments="噪音依旧", by=desk)
    complaint.refresh_from_db()
    assert complaint.status == "assigned" and complaint.reopen_count == 1
    replies = Deadline.objects.filter(object_id=complaint.pk, kind="reply").order_by("pk")
    assert [r.state for r in replies] == ["stopped", "running"]
    # Answered again, closed again, dissatisfied again: counted twice, a second visit.
    services.propose_reply(complaint, text="已更换风机", by=engineer)
    services.approve_reply(complaint, by=supervisor)
    services.send_reply(complaint, via="phone", by=desk)
    second = visits(complaint).get(status="open")
    followup_record(followup=second, result="dissatisfied", channel="phone", comments="还是吵", by=desk)
    complaint.refresh_from_db()
    assert complaint.reopen_count == 2 and complaint.status == "assigned"


def test_satisfied_keeps_it_closed(desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    (visit,) = visits(complaint)
    followup_record(followup=visit, result="satisfied", channel="phone", by=desk)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.reopen_count == 0


def test_a_visit_that_cannot_reopen_is_not_recorded(desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    (visit,) = visits(complaint)
    services.reopen(complaint, by=desk, reason="前台重开")  # already reopened by the desk
    from jinyuan.workflow.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        followup_record(followup=visit, result="dissatisfied", channel="phone", comments="不满意", by=desk)
    visit.refresh_from_db()
    assert visit.status == "open"
    assert Complaint.objects.get(pk=complaint.pk).reopen_count == 1
