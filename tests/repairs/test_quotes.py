"""Paid repairs: the quote from the price list, the tenant's answer (portal or desk), completion
only with an accepted quote, and the charge billed once on completion."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Bill, FeeItem, ServiceCharge
from billing.paid import MaterialLine, PaidItem
from billing.services import fee_price_add
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import TransitionRefused
from repairs import quotes, services
from repairs.models import RepairCategory, RepairQuote, RepairTicket
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal


@pytest.fixture
def paid_category():
    return RepairCategory.objects.create(name="有偿维修", paid=True, price_range="50–200 元")


@pytest.fixture
def free_category():
    return RepairCategory.objects.create(name="公共维修")


@pytest.fixture
def labour(finance):
    item = FeeItem.objects.create(
        code="repair_labour", name="维修人工", kind=FeeItem.Kind.ONE_OFF, price=D("80"), materials_extra=True
    )
    fee_price_add(
        item=item,
        price=D("80"),
        price_min=D("50"),
        price_max=D("200"),
        effective_from=timezone.localdate() - timedelta(days=30),
        by=finance,
    )
    item.refresh_from_db()
    return item


def ticket_in(state, category, desk, engineer, tenant=None, **over):
    fields = {"reporter_name": "王建国", "phone": "13877110001", "description": "空调不制冷", **over}
    ticket = services.report(by=desk, category=category, tenant=tenant, **fields)
    if state == "reported":
        return ticket
    services.assign(ticket, engineer=engineer, by=desk)
    if state == "dispatched":
        return ticket
    services.accept(ticket, by=engineer)
    if state == "accepted":
        return ticket
    services.arrive(ticket, by=engineer)
    return ticket


@pytest.fixture
def on_site(paid_category, desk, engineer, tenant_a):
    return ticket_in("on_site", paid_category, desk, engineer, tenant_a)


def propose(ticket, by, labour, *, quantity="2", price=None, reason="", materials=()):
    items = [PaidItem(labour, D(quantity), D(price) if price else None, reason)]
    return quotes.quote_propose(ticket=ticket, items=items, materials=list(materials), by=by)


def fresh(ticket):
    return RepairTicket.objects.get(pk=ticket.pk)


# --- proposing ------------------------------------------------------------------------------------


def test_proposing_on_site_pauses_the_ticket_for_the_tenant(on_site, engineer, labour):
    quote = propose(on_site, engineer, labour, materials=[MaterialLine("冷媒", D("1"), D("60"))])
    assert quote.status == "proposed" and quote.total == D("220.00")
    assert [(x.unit_price, x.amount) for x in quote.lines.all()] == [(D("80.00"), D("160.00"))]
    ticket = fresh(on_site)
    assert ticket.status == "paused" and ticket.pause_reason == "tenant"
    completion = Deadline.objects.get(object_id=ticket.pk, kind__in=RepairTicket.COMPLETION_KINDS, state="paused")
    assert completion is not None
    assert AuditEvent.objects.filter(object_id=ticket.pk, action="repair.quote_proposed").exists()


def test_proposing_before_arrival_does_not_pause(paid_category, desk, engineer, tenant_a, labour):
    ticket = ticket_in("accepted", paid_category, desk, engineer, tenant_a)
    propose(ticket, engineer, labour)
    assert fresh(ticket).status == "accepted"
    assert AuditEvent.objects.filter(object_id=ticket.pk, action="repair.quote_proposed").exists()


def test_the_desk_may_propose_a_quote(on_site, desk, labour):
    assert propose(on_site, desk, labour).proposed_by == desk


def test_another_engineer_may_not_propose(on_site, labour):
    other = factories.UserFactory(username="engineer2", roles=["engineering"])
    with pytest.raises(PermissionDenied):
        propose(on_site, other, labour)
    assert not RepairQuote.objects.exists()


def test_a_tenant_may_not_propose(on_site, tenant_a_admin, labour):
    with pytest.raises(PermissionDenied):
        propose(on_site, tenant_a_admin, labour)


def test_a_new_proposal_supersedes_the_open_one_and_keeps_waiting(on_site, engineer, labour):
    first = propose(on_site, engineer, labour)
    second = propose(fresh(on_site), engineer, labour, quantity="3")
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "proposed" and second.total == D("240.00")
    assert fresh(on_site).status == "paused"


def test_a_revision_after_acceptance_pauses_again(on_site, engineer, tenant_a_admin, labour):
    propose(on_site, engineer, labour)
    accepted = quotes.quote_accept(ticket=fresh(on_site), by=tenant_a_admin, via="portal")
    propose(fresh(on_site), engineer, labour, quantity="3")
    accepted.refresh_from_db()
    assert accepted.status == "superseded" and fresh(on_site).status == "paused"


@pytest.mark.parametrize("state", ["reported", "dispatched"])
def test_no_quote_before_the_engineer_has_taken_the_job(paid_category, desk, engineer, tenant_a, labour, state):
    ticket = ticket_in(state, paid_category, desk, engineer, tenant_a)
    with pytest.raises(TransitionRefused):
        propose(ticket, desk, labour)


def test_no_quote_while_paused_for_parts(on_site, engineer, labour):
    services.pause(on_site, by=engineer, reason="parts")
    with pytest.raises(TransitionRefused, match="resume"):
        propose(fresh(on_site), engineer, labour)


def test_a_free_category_is_not_quoted(free_category, desk, engineer, tenant_a, labour):
    ticket = ticket_in("on_site", free_category, desk, engineer, tenant_a)
    with pytest.raises(TransitionRefused, match="free of charge"):
        propose(ticket, engineer, labour)


def test_a_public_area_ticket_cannot_be_paid(paid_category, desk, engineer, labour):
    ticket = ticket_in("on_site", paid_category, desk, engineer, None, place="一楼大堂")
    with pytest.raises(TransitionRefused, match="public-area"):
        propose(ticket, engineer, labour)


def test_a_price_outside_the_range_without_a_reason_is_refused(on_site, engineer, labour):
    with pytest.raises(ValidationError) as exc:
        propose(on_site, engineer, labour, price="260")
    assert "lines" in exc.value.message_dict
    assert not RepairQuote.objects.exists() and fresh(on_site).status == "on_site"
    assert propose(on_site, engineer, labour, price="260", reason="夜间加急").total == D("520.00")


def test_a_negative_quantity_is_refused(on_site, engineer, labour):
    with pytest.raises(ValidationError):
        propose(on_site, engineer, labour, quantity="-1")
    assert not RepairQuote.objects.exists()


def test_the_price_in_force_on_the_day_of_the_quote_applies(on_site, engineer, labour, finance):
    fee_price_add(item=labour, price=D("100"), effective_from=timezone.localdate() + timedelta(days=5), by=finance)
    assert propose(on_site, engineer, labour, quantity="1").total == D("80.00")


# --- answering ------------------------------------------------------------------------------------


def test_the_tenant_accepts_in_the_portal_and_work_resumes(on_site, engineer, tenant_a_staff, labour):
    propose(on_site, engineer, labour)
    quote = quotes.quote_accept(ticket=fresh(on_site), by=tenant_a_staff, via="portal")
    assert (quote.status, quote.decided_via, quote.decided_by) == ("accepted", "portal", tenant_a_staff)
    ticket = fresh(on_site)
    assert ticket.status == "on_site" and ticket.pause_reason == ""


def test_the_desk_accepts_on_the_tenants_behalf(on_site, engineer, desk, labour):
    propose(on_site, engineer, labour)
    assert quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk").decided_via == "desk"


def test_accepting_before_arrival_keeps_the_ticket_accepted(paid_category, desk, engineer, tenant_a, labour):
    ticket = ticket_in("accepted", paid_category, desk, engineer, tenant_a)
    propose(ticket, engineer, labour)
    quotes.quote_accept(ticket=fresh(ticket), by=desk, via="desk")
    assert fresh(ticket).status == "accepted"
    assert AuditEvent.objects.filter(object_id=ticket.pk, action="repair.quote_accepted").exists()


@pytest.mark.parametrize("who", ["tenant_b_admin", "engineer", "guard"])
def test_others_may_not_answer_the_quote(on_site, engineer, labour, persona, who):
    propose(on_site, engineer, labour)
    with pytest.raises(PermissionDenied):
        quotes.quote_accept(ticket=fresh(on_site), by=persona(who), via="portal")
    with pytest.raises(PermissionDenied):
        quotes.quote_decline(ticket=fresh(on_site), by=persona(who), via="portal")
    assert RepairQuote.objects.get().status == "proposed"


def test_a_quote_answered_already_cannot_be_answered_again(on_site, engineer, desk, labour):
    propose(on_site, engineer, labour)
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    with pytest.raises(TransitionRefused):
        quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    with pytest.raises(TransitionRefused):
        quotes.quote_decline(ticket=fresh(on_site), by=desk, via="desk")


def test_declining_ends_the_ticket(on_site, engineer, tenant_a_admin, labour):
    propose(on_site, engineer, labour)
    quote = quotes.quote_decline(ticket=fresh(on_site), by=tenant_a_admin, via="portal", reason="太贵")
    assert quote.status == "declined"
    ticket = fresh(on_site)
    assert ticket.status == "cancelled"
    event = AuditEvent.objects.get(object_id=ticket.pk, action="repair.quote_declined")
    assert event.note == "太贵" and event.from_state == "paused"


# --- completion and billing ---------------------------------------------------------------------


def test_a_paid_repair_without_an_accepted_quote_cannot_be_completed(on_site, engineer):
    with pytest.raises(TransitionRefused, match="accept a quote"):
        services.complete(on_site, by=engineer)
    assert fresh(on_site).status == "on_site" and not Bill.objects.exists()


def test_a_proposed_but_unanswered_quote_does_not_allow_completion(on_site, engineer, labour):
    propose(on_site, engineer, labour)
    services.resume(fresh(on_site), by=engineer)
    with pytest.raises(TransitionRefused):
        services.complete(fresh(on_site), by=engineer)


def test_completion_bills_the_accepted_quote_once(on_site, engineer, desk, tenant_a, labour):
    propose(on_site, engineer, labour, materials=[MaterialLine("冷媒", D("1"), D("60"))])
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    services.complete(fresh(on_site), by=engineer, materials="冷媒 1")
    quote = RepairQuote.objects.get()
    bill = quote.bill
    assert bill is not None and bill.tenant == tenant_a and bill.total == D("220.00")
    charge = ServiceCharge.objects.get()
    assert charge.bill == bill and charge.source_id == on_site.pk
    assert not FollowUp.objects.filter(object_id=charge.pk).exists()  # the repair has its own visit
    # Billing again (a task run twice, a second click) bills nothing more.
    assert quotes.quote_bill(ticket=fresh(on_site), by=engineer) == bill
    with pytest.raises(TransitionRefused):
        services.complete(fresh(on_site), by=engineer)
    assert Bill.objects.count() == 1 and ServiceCharge.objects.count() == 1
    assert AuditEvent.objects.filter(object_id=on_site.pk, action="repair.billed").count() == 1


def test_the_bill_keeps_the_prices_of_the_quote(on_site, engineer, desk, labour, finance):
    yesterday = timezone.localdate() - timedelta(days=1)
    items = [PaidItem(labour, D("2"), D("190"))]
    quotes.quote_propose(ticket=on_site, items=items, materials=[], by=engineer, on=yesterday)
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    # A new, narrower range from today would refuse 190 if the bill were priced today.
    fee_price_add(
        item=labour,
        price=D("90"),
        price_min=D("60"),
        price_max=D("120"),
        effective_from=timezone.localdate(),
        by=finance,
    )
    services.complete(fresh(on_site), by=engineer)
    assert RepairQuote.objects.get().bill.total == D("380.00")


def test_a_free_repair_completes_without_a_quote_or_bill(free_category, desk, engineer, tenant_a):
    ticket = ticket_in("on_site", free_category, desk, engineer, tenant_a)
    services.complete(ticket, by=engineer)
    assert fresh(ticket).status == "completed" and not Bill.objects.exists()
