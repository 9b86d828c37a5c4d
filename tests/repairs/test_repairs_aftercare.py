"""After the repair: completed tickets close by themselves after 7 days without feedback,
return visits 回访 are scheduled (every paid, every unsatisfied, ≥ 30 % of the rest, chosen
deterministically), a dissatisfied visit reopens the ticket, and the desk's worklist shows
who to call."""

import math
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jinyuan.followups import services as followups
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent, CalendarDay
from repairs import services
from repairs.models import RepairCategory, RepairTicket
from repairs.tasks import close_without_feedback
from tests.repairs.feedback_helpers import completed, scores, water_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return water_category()


@pytest.fixture
def paid():
    return RepairCategory.objects.create(name="灯具更换", paid=True, price_range="50-200 元")


def visits(ticket) -> list[FollowUp]:
    return list(FollowUp.objects.filter(object_id=ticket.pk, content_type__model="repairticket"))


def age(ticket, days: float) -> None:
    RepairTicket.objects.filter(pk=ticket.pk).update(completed_at=timezone.now() - timedelta(days=days))


# --- auto-close ----------------------------------------------------------------------------------


def test_completed_tickets_close_after_7_days_without_feedback(desk, engineer, tenant_a, water):
    old = completed(desk, engineer, water, tenant=tenant_a)
    recent = completed(desk, engineer, water, tenant=tenant_a)
    age(old, 7.01)
    age(recent, 6.9)
    assert services.auto_close_due() == 1
    old.refresh_from_db()
    assert old.status == "closed" and old.closed_at is not None
    assert RepairTicket.objects.get(pk=recent.pk).status == "completed"
    event = AuditEvent.objects.get(object_id=old.pk, action="repair.auto_closed")
    assert event.actor is None and event.note == "no feedback in 7 days"
    assert event.data == {"feedback_days": 7}


def test_auto_close_counts_calendar_days_from_completion(desk, engineer, tenant_a, water):
    ticket = completed(desk, engineer, water, tenant=tenant_a)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        assert services.auto_close_due() == 0
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        assert close_without_feedback() == 1
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_the_auto_close_task_run_twice_closes_once(desk, engineer, tenant_a, water):
    tickets = [completed(desk, engineer, water, tenant=tenant_a) for _ in range(3)]
    for t in tickets:
        age(t, 8)
    assert close_without_feedback.delay().get() == 3
    events = AuditEvent.objects.count()
    visit_count = FollowUp.objects.count()
    assert close_without_feedback.delay().get() == 0
    assert AuditEvent.objects.count() == events and FollowUp.objects.count() == visit_count
    assert set(RepairTicket.objects.values_list("status", flat=True)) == {"closed"}


def test_a_signed_off_ticket_is_not_auto_closed(desk, engineer, tenant_a, tenant_a_admin, water):
    ticket = completed(desk, engineer, water, tenant=tenant_a)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    age(ticket, 30)
    assert services.auto_close_due() == 0
    assert not AuditEvent.objects.filter(object_id=ticket.pk, action="repair.auto_closed").exists()


def test_an_auto_closed_paid_repair_gets_its_visit_scheduled_by_the_system(desk, engineer, tenant_a, paid):
    ticket = completed(desk, engineer, paid, tenant=tenant_a)
    age(ticket, 8)
    services.auto_close_due()
    (visit,) = visits(ticket)
    assert visit.created_by is None and visit.status == "open"


# --- which closures get a return visit -------------------------------------------------------------


def test_the_sample_keeps_every_month_at_30_percent_whatever_the_count():
    chosen = 0
    for n in range(1, 501):
        chosen += services.sampled(n)
        assert chosen == math.ceil(0.3 * n) and chosen >= 0.3 * n
    assert [k for k in range(1, 21) if services.sampled(k)] == [1, 4, 7, 11, 14, 17]


def test_twenty_closures_in_a_month_visit_six_others_every_paid_and_every_unsatisfied(
    desk, engineer, tenant_a, tenant_a_admin, water, paid
):
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 10, 0)), tick=False):
        others = [completed(desk, engineer, water, tenant=tenant_a) for _ in range(20)]
        paid_ones = [completed(desk, engineer, paid, tenant=tenant_a) for _ in range(3)]
        unhappy = [completed(desk, engineer, water, tenant=tenant_a) for _ in range(2)]
        for t in unhappy:
            services.sign_off(t, by=tenant_a_admin, **scores(satisfied=False, comment="没修好"))
            services.accept(t, by=engineer)
            services.arrive(t, by=engineer)
            services.complete(t, by=engineer)
        # Closures interleaved: paid and unsatisfied ones do not use up the sample.
        for i, t in enumerate(others):
            services.sign_off(t, by=tenant_a_admin, **scores())
            if i < 3:
                services.close(paid_ones[i], by=desk)
            if i < 2:
                services.sign_off(unhappy[i], by=tenant_a_admin, **scores())
    visited = [i for i, t in enumerate(others, start=1) if visits(t)]
    assert visited == [1, 4, 7, 11, 14, 17]
    assert all(len(visits(t)) == 1 for t in paid_ones + unhappy)
    reasons = AuditEvent.objects.filter(action="repair.visit_chosen").values_list("data__visit_reason", flat=True)
    assert sorted(reasons).count("paid") == 3 and sorted(reasons).count("unsatisfied") == 2
    # Every visit is due within 3 working days of the closing day (Monday 2 March 2026).
    assert set(FollowUp.objects.values_list("due_on", flat=True)) == {date(2026, 3, 5)}


def test_each_month_counts_its_own_closures(desk, engineer, tenant_a, tenant_a_admin, water):
    with time_machine.travel(timezone.make_aware(datetime(2026, 4, 30, 10, 0)), tick=False):
        first = [completed(desk, engineer, water, tenant=tenant_a) for _ in range(2)]
        for t in first:
            services.sign_off(t, by=tenant_a_admin, **scores())
    with time_machine.travel(timezone.make_aware(datetime(2026, 5, 6, 10, 0)), tick=False):
        may = completed(desk, engineer, water, tenant=tenant_a)
        services.sign_off(may, by=tenant_a_admin, **scores())
    assert [bool(visits(t)) for t in first] == [True, False]
    assert visits(may)  # the first other closure of May


def test_the_visit_is_due_three_working_days_after_closing():
    CalendarDay.objects.update_or_create(date=date(2027, 5, 3), defaults={"is_working": False, "name": "劳动节"})
    for d in (date(2027, 4, 30), date(2027, 5, 4), date(2027, 5, 5), date(2027, 5, 6)):
        CalendarDay.objects.update_or_create(date=d, defaults={"is_working": True})
    friday = timezone.make_aware(datetime(2027, 4, 30, 16, 0))
    # Saturday, Sunday and the Monday holiday do not count: Tuesday, Wednesday, Thursday.
    assert services.visit_due_on(friday) == date(2027, 5, 6)


# --- a dissatisfied visit reopens ---------------------------------------------------------------------


def test_a_dissatisfied_return_visit_reopens_the_ticket(desk, engineer, tenant_a, tenant_a_admin, paid):
    ticket = completed(desk, engineer, paid, tenant=tenant_a)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    (visit,) = visits(ticket)
    followups.followup_record(followup=visit, result="dissatisfied", channel="phone", comments="灯又不亮了", by=desk)
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.assignee == engineer and ticket.reopen_count == 1
    event = AuditEvent.objects.get(object_id=ticket.pk, action="repair.reopened")
    assert event.note == "灯又不亮了" and event.actor == desk and event.data == {"followup": visit.pk}


def test_a_satisfied_return_visit_leaves_the_ticket_closed(desk, engineer, tenant_a, tenant_a_admin, paid):
    ticket = completed(desk, engineer, paid, tenant=tenant_a)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    (visit,) = visits(ticket)
    followups.followup_record(followup=visit, result="fairly_satisfied", channel="phone", by=desk)
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_the_worklist_shows_a_repair_visit_with_who_to_call(desk, engineer, tenant_a, tenant_a_admin, paid, client_for):
    ticket = completed(desk, engineer, paid, tenant=tenant_a, reporter_name="王建国", phone="13877110001")
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    FollowUp.objects.filter(object_id=ticket.pk).update(due_on=timezone.localdate())
    page = client_for(desk).get(reverse("desk:followups:followup_list")).content.decode()
    assert ticket.number in page
    assert "广西甲方科技有限公司 · 王建国 · 13877110001" in page
    (visit,) = visits(ticket)
    record_page = client_for(desk).get(reverse("desk:followups:followup_record", args=[visit.pk])).content.decode()
    assert "13877110001" in record_page


# --- the panel on every ticket page -------------------------------------------------------------------


def _render_panel(ticket, user) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "repairs/_feedback_panel.html" %}')
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"ticket": ticket, "request": request}))
    return html, len(captured)


def test_the_feedback_panel_costs_the_same_queries_with_many_ratings_and_visits(
    desk, engineer, tenant_a, tenant_a_admin, paid
):
    ticket = completed(desk, engineer, paid, tenant=tenant_a)
    desk.role_codes  # noqa: B018 - the request loads the roles once, before the panel
    services.sign_off(ticket, by=tenant_a_admin, **scores(satisfied=False, comment="一"))
    services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    services.complete(ticket, by=engineer)
    ticket.refresh_from_db()
    html, one = _render_panel(ticket, desk)
    assert reverse("desk:repairs:sign_off", args=[ticket.pk]) in html and "1/5" not in html
    for _ in range(4):
        services.sign_off(ticket, by=tenant_a_admin, **scores(satisfied=False, comment="再修"))
        services.accept(ticket, by=engineer)
        services.arrive(ticket, by=engineer)
        services.complete(ticket, by=engineer)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    ticket.refresh_from_db()
    html, many = _render_panel(ticket, desk)
    assert many == one == 2
    (visit,) = visits(ticket)
    assert html.count("<tr>") == 1 + 6  # the header and six ratings
    assert reverse("desk:followups:followup_record", args=[visit.pk]) in html


def test_the_portal_panel_offers_the_tenant_the_sign_off(desk, engineer, tenant_a, tenant_a_admin, water):
    ticket = completed(desk, engineer, water, tenant=tenant_a)
    html, _ = _render_panel(ticket, tenant_a_admin)
    assert reverse("portal:repairs:sign_off", args=[ticket.pk]) in html
    assert "desk/repairs" not in html


def test_the_auto_close_runs_under_beat():
    from django.conf import settings

    from jinyuan.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["close-repairs-without-feedback"]
    assert entry["task"] == close_without_feedback.name == "repairs.close_without_feedback"
    assert entry["task"] in app.tasks


def test_the_worklist_links_to_the_tickets_declared_page(
    desk, engineer, tenant_a, tenant_a_admin, paid, client_for, monkeypatch
):
    # The ticket's desk page is declared by the desk part (DeadlineLinks.desk_detail); any
    # declared page is linked the same way.
    monkeypatch.setattr(RepairTicket, "desk_detail", "desk:repairs:sign_off")
    ticket = completed(desk, engineer, paid, tenant=tenant_a)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    FollowUp.objects.filter(object_id=ticket.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = client_for(desk).get(reverse("desk:followups:followup_list")).content.decode()
    assert f'<a href="{reverse("desk:repairs:sign_off", args=[ticket.pk])}">{ticket.number}</a>' in page
