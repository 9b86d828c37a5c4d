"""A fixed data set for the monthly statistics, built through the services with the clock set:
October 2026 (last month) and November 2026 (this month). The figures it must give are written
out by hand in tests/complaints/test_statistics.py; what happens to each record is told here.

Repairs (category 水电: response 30 min, completion 4 h; 门锁更换: paid, 60 min and 24 h):

- T1 (eng2): reported Tue 13 Oct 09:00, on site 09:20 (response met), completed 11:00
  (completion met); signed off 14 Oct 5/4/5 satisfied; return visit 16 Oct fairly satisfied.
- T2 (engineer): reported Tue 20 Oct 10:00, on site 11:00 (response due 10:30: missed),
  completed 13:00 (met); signed off 21 Oct 09:00 2/2/3 not satisfied: reopened (response and
  completion start again, due 09:30 and 13:00); on site 09:20 (met), completed 2 Nov 09:00
  (missed on 21 Oct 13:00); signed off 3 Nov 4/3/4 satisfied; return visit 5 Nov satisfied.
- T6: reported Sun 25 Oct 09:00 and cancelled 09:05 (its runs say nothing).
- T3 (eng2): reported Tue 10 Nov 09:00, on site 09:10 (met), completed 15:00 (due 13:00:
  missed); signed off 11 Nov 4/3/5 satisfied (its sampled return visit is not made yet).
- T4 (engineer, paid, company A): reported Thu 12 Nov 09:00, on site 09:30 (met), quote
  accepted, completed 12:00 (met); not signed off.
- T5: reported Fri 20 Nov 09:00, nobody on it since: response and completion overdue.

Complaints (categories 噪音 and 保洁):

- K1 complaint 噪音 (engineering): recorded Tue 13 Oct 09:00, acknowledged 09:30 (met),
  replied 14:00 (met), valid; return visit 16 Oct satisfied.
- K2 suggestion 保洁 (cleaning): recorded Wed 14 Oct 09:00, acknowledged 16 Oct 09:00 (missed
  on 14 Oct), replied 16 Oct 15:00 (met), invalid; return visit 19 Oct dissatisfied: reopened
  (a new reply run, due within October); replied again 3 Nov (that run missed, in October);
  return visit 5 Nov fairly satisfied.
- K3 complaint 噪音 (security): recorded Tue 10 Nov 09:00, acknowledged 09:20 (met); its reply
  is overdue since mid-November.
- K4 inquiry 噪音: recorded Wed 11 Nov 09:00, acknowledged 09:30, cancelled 10:00.
"""

import datetime as dt
from dataclasses import dataclass

import time_machine
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintCategory
from jinyuan.followups.models import FollowUp
from jinyuan.followups.selectors import followups_of
from jinyuan.followups.services import followup_record
from repairs import services as repair_services
from repairs.models import RepairCategory, RepairTicket
from tests import factories
from tests.repairs.feedback_helpers import agree_a_quote

# The statistics are looked at on Sunday 6 December 2026.
NOW = timezone.make_aware(dt.datetime(2026, 12, 6, 12, 0))
THIS, LAST = dt.date(2026, 11, 1), dt.date(2026, 10, 1)


def at(month: int, day: int, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hh, mm))


@dataclass
class People:
    desk: object
    supervisor: object
    engineer: object
    eng2: object
    guard: object
    tenant_admin: object
    tenant: object


def _visit(record, when, result: str, by, comments: str = "") -> None:
    visit = followups_of(record).filter(status=FollowUp.Status.OPEN).get()
    with time_machine.travel(when, tick=False):
        followup_record(followup=visit, result=result, channel="phone", comments=comments, by=by)


def _to_site(ticket, engineer, desk, accepted, arrived) -> None:
    with time_machine.travel(accepted, tick=False):
        repair_services.assign(ticket, engineer=engineer, by=desk)
        repair_services.accept(ticket, by=engineer)
    with time_machine.travel(arrived, tick=False):
        repair_services.arrive(ticket, by=engineer)


def _report(desk, category, when, **over) -> RepairTicket:
    fields = {"reporter_name": "王建国", "phone": "13877110001", "description": "卫生间漏水", **over}
    with time_machine.travel(when, tick=False):
        return repair_services.report(by=desk, category=category, **fields)


def _sign(ticket, by, when, overall, speed, service, satisfied, comment="") -> None:
    with time_machine.travel(when, tick=False):
        repair_services.sign_off(
            ticket,
            by=by,
            overall=overall,
            speed=speed,
            service=service,
            satisfied=satisfied,
            comment=comment,
            channel="desk",
        )


def build_repairs(p: People) -> dict[str, RepairTicket]:
    water = RepairCategory.objects.create(name="水电", response_minutes=30, completion_hours=4)
    lock = RepairCategory.objects.create(name="门锁更换", response_minutes=60, completion_hours=24, paid=True)
    t1 = _report(p.desk, water, at(10, 13, 9))
    _to_site(t1, p.eng2, p.desk, at(10, 13, 9, 5), at(10, 13, 9, 20))
    with time_machine.travel(at(10, 13, 11), tick=False):
        repair_services.complete(t1, by=p.eng2)
    _sign(t1, p.desk, at(10, 14, 10), 5, 4, 5, True)
    _visit(t1, at(10, 16, 10), FollowUp.Result.FAIRLY_SATISFIED, p.desk)

    t2 = _report(p.desk, water, at(10, 20, 10))
    _to_site(t2, p.engineer, p.desk, at(10, 20, 10, 5), at(10, 20, 11))
    with time_machine.travel(at(10, 20, 13), tick=False):
        repair_services.complete(t2, by=p.engineer)
    _sign(t2, p.desk, at(10, 21, 9), 2, 2, 3, False, comment="还在漏水")
    with time_machine.travel(at(10, 21, 9, 5), tick=False):
        repair_services.accept(t2, by=p.engineer)
    with time_machine.travel(at(10, 21, 9, 20), tick=False):
        repair_services.arrive(t2, by=p.engineer)
    with time_machine.travel(at(11, 2, 9), tick=False):
        repair_services.complete(t2, by=p.engineer)
    _sign(t2, p.desk, at(11, 3, 10), 4, 3, 4, True)
    _visit(t2, at(11, 5, 10), FollowUp.Result.SATISFIED, p.desk)

    t6 = _report(p.desk, water, at(10, 25, 9))
    with time_machine.travel(at(10, 25, 9, 5), tick=False):
        repair_services.cancel(t6, by=p.desk, reason="重复报修")

    t3 = _report(p.desk, water, at(11, 10, 9))
    _to_site(t3, p.eng2, p.desk, at(11, 10, 9, 5), at(11, 10, 9, 10))
    with time_machine.travel(at(11, 10, 15), tick=False):
        repair_services.complete(t3, by=p.eng2)
    _sign(t3, p.desk, at(11, 11, 10), 4, 3, 5, True)

    t4 = _report(p.desk, lock, at(11, 12, 9), tenant=p.tenant)
    _to_site(t4, p.engineer, p.desk, at(11, 12, 9, 5), at(11, 12, 9, 30))
    with time_machine.travel(at(11, 12, 10), tick=False):
        agree_a_quote(t4, p.desk, p.engineer)
    with time_machine.travel(at(11, 12, 12), tick=False):
        repair_services.complete(t4, by=p.engineer)

    t5 = _report(p.desk, water, at(11, 20, 9))
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6}


def _record(desk, category, when, **over) -> Complaint:
    fields = {
        "channel": "phone",
        "complainant_name": "王建国",
        "complainant_phone": "13877110001",
        "content": "大堂空调噪音太大",
        **over,
    }
    with time_machine.travel(when, tick=False):
        return complaint_services.record(by=desk, category=category, **fields)


def _answer(complaint, p: People, department, person, assigned, sent) -> None:
    complaint.refresh_from_db()  # a return visit may have reopened it meanwhile
    with time_machine.travel(assigned, tick=False):
        if complaint.status == Complaint.Status.ACKNOWLEDGED:
            complaint_services.assign(complaint, department=department, assignee=person, by=p.desk)
        complaint_services.propose_reply(complaint, text="已处理，谢谢反馈。", by=person)
        complaint_services.approve_reply(complaint, by=p.supervisor)
    with time_machine.travel(sent, tick=False):
        complaint_services.send_reply(complaint, via="phone", by=p.desk)


def build_complaints(p: People) -> dict[str, Complaint]:
    noise = ComplaintCategory.objects.create(name="噪音")
    cleaning = ComplaintCategory.objects.create(name="保洁")
    k1 = _record(p.desk, noise, at(10, 13, 9))
    with time_machine.travel(at(10, 13, 9, 30), tick=False):
        complaint_services.acknowledge(k1, by=p.desk)
    _answer(k1, p, "engineering", p.engineer, at(10, 13, 10), at(10, 13, 14))
    complaint_services.mark_validity(k1, valid=True, reason="确有噪音", by=p.desk)
    _visit(k1, at(10, 16, 11), FollowUp.Result.SATISFIED, p.desk)

    k2 = _record(p.desk, cleaning, at(10, 14, 9), kind="suggestion", channel="desk")
    with time_machine.travel(at(10, 16, 9), tick=False):
        complaint_services.acknowledge(k2, by=p.desk)
    _answer(k2, p, "cleaning", p.desk, at(10, 16, 10), at(10, 16, 15))
    complaint_services.mark_validity(k2, valid=False, reason="非物业责任", by=p.desk)
    _visit(k2, at(10, 19, 10), FollowUp.Result.DISSATISFIED, p.desk, comments="仍不满意")
    _answer(k2, p, "cleaning", p.desk, at(11, 3, 9), at(11, 3, 10))
    _visit(k2, at(11, 5, 11), FollowUp.Result.FAIRLY_SATISFIED, p.desk)

    k3 = _record(p.desk, noise, at(11, 10, 9))
    with time_machine.travel(at(11, 10, 9, 20), tick=False):
        complaint_services.acknowledge(k3, by=p.desk)
    with time_machine.travel(at(11, 10, 10), tick=False):
        complaint_services.assign(k3, department="security", assignee=p.guard, by=p.desk)

    k4 = _record(p.desk, noise, at(11, 11, 9), kind="inquiry")
    with time_machine.travel(at(11, 11, 9, 30), tick=False):
        complaint_services.acknowledge(k4, by=p.desk)
    with time_machine.travel(at(11, 11, 10), tick=False):
        complaint_services.cancel(k4, by=p.desk, reason="咨询已当场答复")
    return {"k1": k1, "k2": k2, "k3": k3, "k4": k4}


def people(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a) -> People:
    eng2 = factories.UserFactory(username="eng2", display_name="eng2", roles=["engineering"])
    return People(desk, supervisor, engineer, eng2, guard, tenant_a_admin, tenant_a)
