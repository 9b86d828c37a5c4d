"""Paid repairs: the quote from the price list, the tenant's answer (portal or desk), completion
only with an accepted quote, and the charge billed once on completion."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_the_tenant_accepts_in_the_portal_and_work_resumes(on_site, engineer, tenant_a_admin, labour):
    propose(on_site, engineer, labour)
    quote = quotes.quote_accept(ticket=fresh(on_site), by=tenant_a_admin, via="portal")
    assert (quote.status, quote.decided_via, quote.decided_by) == ("accepted", "portal", tenant_a_admin)
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


# --- pages ------------------------------------------------------------------------------------------


def quote_post(labour, **over):
    data = {
        "note": "更换压缩机电容",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-fee_item": str(labour.pk),
        "lines-0-quantity": "2",
        "lines-0-unit_price": "",
        "lines-0-reason": "",
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "0",
        "materials-0-description": "电容",
        "materials-0-quantity": "1",
        "materials-0-unit_price": "35",
    }
    return {**data, **over}


def en(client_for, user):
    return client_for(user, HTTP_ACCEPT_LANGUAGE="en")


def test_the_engineer_proposes_on_the_quote_page(client_for, on_site, engineer, labour):
    url = f"/desk/repairs/{on_site.pk}/quote/"
    assert en(client_for, engineer).get(url).status_code == 200
    response = en(client_for, engineer).post(f"{url}?next=/desk/", quote_post(labour))
    assert response.status_code == 302 and response["Location"] == "/desk/"
    quote = RepairQuote.objects.get()
    assert quote.total == D("195.00") and quote.note == "更换压缩机电容"
    assert fresh(on_site).status == "paused"


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"lines-0-quantity": "-2"}, "quantity", "more than zero"),
        ({"lines-0-quantity": "two"}, "quantity", "Enter a number"),
        ({"lines-0-unit_price": "300"}, "reason", "outside"),
        ({"materials-0-unit_price": "-1"}, "unit_price", "negative"),
    ],
)
def test_bad_quote_lines_are_refused_beside_the_field_and_kept(
    client_for, on_site, engineer, labour, over, field, words
):
    response = en(client_for, engineer).post(f"/desk/repairs/{on_site.pk}/quote/", quote_post(labour, **over))
    assert response.status_code == 400
    forms = [*response.context["lines"], *response.context["materials"]]
    messages = " ".join(m for f in forms for m in f.errors.get(field, []))
    assert words in messages
    assert "电容" in response.content.decode()
    assert not RepairQuote.objects.exists() and fresh(on_site).status == "on_site"


def test_a_quote_without_lines_is_refused(client_for, on_site, engineer, labour):
    data = quote_post(labour, **{"lines-0-fee_item": "", "lines-0-quantity": "", "materials-0-description": ""})
    data |= {"materials-0-quantity": "", "materials-0-unit_price": ""}
    response = en(client_for, engineer).post(f"/desk/repairs/{on_site.pk}/quote/", data)
    assert response.status_code == 400 and "Choose at least one item" in " ".join(response.context["line_errors"])


def test_an_engineer_not_assigned_gets_404(client_for, on_site, labour):
    other = factories.UserFactory(username="engineer2", roles=["engineering"])
    assert client_for(other).get(f"/desk/repairs/{on_site.pk}/quote/").status_code == 404
    assert client_for(other).post(f"/desk/repairs/{on_site.pk}/quote/", quote_post(labour)).status_code == 404
    assert not RepairQuote.objects.exists()


def test_the_tenant_accepts_in_the_portal(client_for, on_site, engineer, tenant_a_admin, labour):
    propose(on_site, engineer, labour)
    url = f"/portal/repairs/{on_site.pk}/quote/"
    page = en(client_for, tenant_a_admin).get(url)
    assert page.status_code == 200 and "160.00" in page.content.decode()
    response = en(client_for, tenant_a_admin).post(url, {"decision": "accept"})
    assert response.status_code == 302
    assert RepairQuote.objects.get().decided_via == "portal" and fresh(on_site).status == "on_site"


def test_the_tenant_declines_in_the_portal_and_the_ticket_ends(client_for, on_site, engineer, tenant_a_admin, labour):
    propose(on_site, engineer, labour)
    en(client_for, tenant_a_admin).post(f"/portal/repairs/{on_site.pk}/quote/", {"decision": "decline", "reason": "贵"})
    assert RepairQuote.objects.get().status == "declined" and fresh(on_site).status == "cancelled"


def test_another_tenant_gets_404_and_changes_nothing(client_for, on_site, engineer, tenant_b_admin, labour):
    propose(on_site, engineer, labour)
    url = f"/portal/repairs/{on_site.pk}/quote/"
    assert client_for(tenant_b_admin).get(url).status_code == 404
    assert client_for(tenant_b_admin).post(url, {"decision": "accept"}).status_code == 404
    assert RepairQuote.objects.get().status == "proposed"


def test_the_desk_records_the_answer_on_the_tenants_behalf(client_for, on_site, engineer, desk, labour):
    propose(on_site, engineer, labour)
    url = f"/desk/repairs/{on_site.pk}/quote/decide/"
    assert en(client_for, desk).get(url).status_code == 200
    en(client_for, desk).post(url, {"decision": "accept"})
    assert RepairQuote.objects.get().decided_via == "desk"


def test_the_engineer_cannot_answer_for_the_tenant(client_for, on_site, engineer, labour):
    propose(on_site, engineer, labour)
    response = client_for(engineer).post(f"/desk/repairs/{on_site.pk}/quote/decide/", {"decision": "accept"})
    assert response.status_code == 403 and RepairQuote.objects.get().status == "proposed"


def test_an_answer_to_an_answered_quote_is_a_notice_not_a_change(client_for, on_site, engineer, desk, labour):
    propose(on_site, engineer, labour)
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    response = en(client_for, desk).post(f"/desk/repairs/{on_site.pk}/quote/decide/", {"decision": "decline"})
    assert response.status_code == 302
    assert RepairQuote.objects.get().status == "accepted" and fresh(on_site).status == "on_site"


# --- the panel on every ticket page ---------------------------------------------------------------


def _render_panel(ticket, user):
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    request = RequestFactory().get("/somewhere/")
    request.user = user
    ticket = RepairTicket.objects.select_related("category", "tenant").get(pk=ticket.pk)
    with CaptureQueriesContext(connection) as captured:
        html = render_to_string("repairs/_quote_panel.html", {"ticket": ticket}, request=request)
    return html, len(captured)


@pytest.mark.parametrize(("who", "queries"), [("desk", 3), ("engineer", 3), ("tenant_a_admin", 4)])
def test_the_quote_panel_makes_a_fixed_number_of_queries(on_site, engineer, labour, persona, who, queries):
    propose(on_site, engineer, labour, materials=[MaterialLine("电容", D("1"), D("5"))])
    user = persona(who)
    _render_panel(on_site, user)  # warm up: the user's roles, content types
    _html, one = _render_panel(on_site, user)
    many = [PaidItem(labour, D("1"))] * 30
    quotes.quote_propose(
        ticket=fresh(on_site), items=many, materials=[MaterialLine("电容", D("1"), D("5"))] * 30, by=engineer
    )
    html_many, thirty = _render_panel(on_site, user)
    assert (one, thirty) == (queries, queries)
    assert "2,550.00" in html_many


def test_the_panel_shows_each_user_their_actions(on_site, engineer, labour, desk, tenant_a_admin, finance):
    propose(on_site, engineer, labour)
    desk_html, _ = _render_panel(on_site, desk)
    assert (
        f"/desk/repairs/{on_site.pk}/quote/decide/" in desk_html and f"/desk/repairs/{on_site.pk}/quote/?" in desk_html
    )
    engineer_html, _ = _render_panel(on_site, engineer)
    assert "/quote/decide/" not in engineer_html and f"/desk/repairs/{on_site.pk}/quote/?" in engineer_html
    tenant_html, _ = _render_panel(on_site, tenant_a_admin)
    assert f"/portal/repairs/{on_site.pk}/quote/" in tenant_html and "/desk/" not in tenant_html


def test_the_panel_shows_the_bill_number_once_billed(on_site, engineer, labour, desk):
    propose(on_site, engineer, labour)
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    services.complete(fresh(on_site), by=engineer)
    html, _ = _render_panel(on_site, desk)
    assert RepairQuote.objects.get().bill.number in html


def test_a_free_ticket_shows_no_panel(free_category, desk, engineer, tenant_a):
    ticket = ticket_in("on_site", free_category, desk, engineer, tenant_a)
    html, queries = _render_panel(ticket, desk)
    assert html.strip() == "" and queries == 0


def test_the_tenant_is_told_a_quote_waits(on_site, engineer, labour, tenant_a_admin):
    from jinyuan.workflow.models import Notification

    propose(on_site, engineer, labour)
    note = Notification.objects.get(recipient=tenant_a_admin)
    assert note.url == f"/portal/repairs/{on_site.pk}/quote/" and note.args["number"] == on_site.number


def test_a_quote_whose_item_was_withdrawn_refuses_completion_with_a_message(on_site, engineer, desk, labour):
    propose(on_site, engineer, labour)
    quotes.quote_accept(ticket=fresh(on_site), by=desk, via="desk")
    FeeItem.objects.filter(pk=labour.pk).update(is_active=False)
    with pytest.raises(TransitionRefused, match="revise it"):
        services.complete(fresh(on_site), by=engineer)
    assert fresh(on_site).status == "on_site" and not Bill.objects.exists()


@settings(
    max_examples=30,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    quantity=st.one_of(st.text(max_size=20), st.sampled_from(["-1", "0", "1e9", "9" * 14, "NaN", "\x00"])),
    price=st.one_of(st.text(max_size=20), st.sampled_from(["-1", "1e12", "Infinity", "0.001"])),
    reason=st.text(max_size=300),
    material=st.text(max_size=200),
)
def test_random_quote_input_never_gives_a_500(client_for, on_site, engineer, labour, quantity, price, reason, material):
    over = {"lines-0-quantity": quantity, "lines-0-unit_price": price, "lines-0-reason": reason}
    over["materials-0-description"] = material
    response = client_for(engineer).post(f"/desk/repairs/{on_site.pk}/quote/", quote_post(labour, **over))
    assert response.status_code in (302, 400)
