"""``seed_demo``: the small demo walks the services and shows every state; a second run loads nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from billing.models import Bill, DepositEntry, Payment
from demo import services
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from permits.models import PremisesCertificate
from tenants.models import MoveIn, MoveOut, Signboard, Tenant
from tests.factories import BuildingFactory


def test_small_demo(db):
    """One seed (it takes seconds), three checks."""
    services.seed(services.SCALES["small"])
    _shows_every_state()
    _history_is_dated_when_it_happened()
    _renders_no_pdf()


def _shows_every_state() -> None:
    assert set(PremisesCertificate.objects.values_list("status", flat=True)) == set(PremisesCertificate.Status)
    assert {"open", "confirmed"} <= set(MoveIn.objects.values_list("status", flat=True))
    assert {"open", "completed"} <= set(MoveOut.objects.values_list("status", flat=True))
    assert Signboard.objects.filter(status=Signboard.Status.INSTALLED).exists()
    today = timezone.localdate()
    assert Bill.objects.filter(status=Bill.Status.OPEN, due_date__lt=today).exists()  # overdue
    assert Bill.objects.filter(status=Bill.Status.PAID, source_key__startswith="monthly:").exists()
    assert {"received", "refunded"} <= set(DepositEntry.objects.values_list("kind", flat=True))
    _renovations_in_every_state()
    _release_notes_in_every_state()
    _access_passes_in_every_state()
    _parking_permits_in_every_state()
    _temporary_power_in_every_state()
    _hot_work_in_every_state()
    _liaison_visits_and_emergencies()
    _elevator_bookings_in_every_state()
    _meeting_rooms_of_a_month()
    _repairs_of_a_year()
    _paid_repairs_quoted_and_billed()
    _repairs_signed_off_and_rated()
    _return_visits_made_and_due()
    _paid_services_at_the_desk()
    _complaints_of_a_year()
    _complaints_answered_and_visited()
    _complaints_open_today()
    _arrears_chased()
    _customers_billed_paying_and_leaving_deposits()
    _venue_applications_in_every_state()


def _customers_billed_paying_and_leaving_deposits() -> None:
    """Payers who rent no unit (issue 14): a paid bill and an open one, deposits received,
    one settled less a deduction and one held."""
    from billing.models import Customer

    assert Customer.objects.count() >= 3
    customer_bills = Bill.objects.filter(customer__isnull=False)
    assert {"open", "paid"} <= set(customer_bills.values_list("status", flat=True))
    entries = DepositEntry.objects.filter(customer__isnull=False)
    assert {"received", "deducted", "refunded"} <= set(entries.values_list("kind", flat=True))
    assert Document.objects.filter(kind="receipt", data__payer="广西博览会展策划有限公司").exists()
    _invoices_requested()


def _invoices_requested() -> None:
    """VAT invoice requests 发票: issued with their PDFs, refused, and waiting (one past its
    five working days)."""
    from billing.models import InvoiceRequest
    from jinyuan.workflow.models import Deadline

    assert set(InvoiceRequest.objects.values_list("status", flat=True)) == set(InvoiceRequest.Status)
    assert not InvoiceRequest.objects.filter(status="issued", pdf__isnull=True).exists()
    waiting = InvoiceRequest.objects.filter(status="requested").values("pk")
    assert Deadline.objects.filter(kind="invoice", object_id__in=waiting, due_at__lt=timezone.now()).exists()
    _meters_read_and_billed()


def _meters_read_and_billed() -> None:
    """抄表: rounds confirmed and billed with the readings on the bills, this month's open with
    one reading held for the supervisor."""
    from billing.models import MeterCharge
    from tenants.models import MeterReading, ReadingRound

    assert ReadingRound.objects.filter(status="confirmed", billed_at__isnull=False).count() >= 3
    current = ReadingRound.objects.get(status="open")
    assert MeterReading.objects.filter(reading_round=current, status="held").count() == 1
    assert Bill.objects.filter(source_key__startswith="utility:").exists()
    assert MeterCharge.objects.exists()


def _arrears_chased() -> None:
    """Late fees billed month by month (some paid), waived once, reminders, a batch of
    notices, calls with a kept and a broken promise, and a delivered demand letter."""
    from billing.arrears_models import ArrearsContact, DemandLetter, ReminderSent
    from billing.models import LateFeeCharge, LateFeeWaiver

    late_fee_bills = Bill.objects.filter(source_key__startswith="latefee:")
    assert len({b.issued_on.month for b in late_fee_bills}) >= 3
    assert {"open", "paid"} <= set(late_fee_bills.values_list("status", flat=True))
    assert LateFeeCharge.objects.count() >= late_fee_bills.count()
    assert LateFeeWaiver.objects.count() == 1
    assert ReminderSent.objects.values("step").distinct().count() >= 3
    assert Document.objects.filter(kind="arrears_notice").count() >= 2
    today = timezone.localdate()
    assert ArrearsContact.objects.filter(promise_date__gte=today).exists()
    assert ArrearsContact.objects.filter(promise_date__lt=today, promise_reminded_at__isnull=False).exists()
    assert DemandLetter.objects.filter(delivered_on__isnull=False).count() == 1


def _renovations_in_every_state() -> None:
    from renovation.models import Deduction, RectificationOrder, Renovation

    # Every state but the two acceptance halves (each a moment between two inspections).
    passing = {Renovation.Status.ACCEPTANCE_ENG_PASSED, Renovation.Status.ACCEPTANCE_SEC_PASSED}
    assert set(Renovation.objects.values_list("status", flat=True)) == set(Renovation.Status) - passing
    assert {"open", "closed"} <= set(RectificationOrder.objects.values_list("status", flat=True))
    assert Deduction.objects.filter(status="approved").exists()
    _extensions_and_worker_passes()


def _extensions_and_worker_passes() -> None:
    from jinyuan.documents.models import Document
    from permits.models import WorkerPass
    from renovation.models import Extension, Renovation

    assert {"applied", "approved"} <= set(Extension.objects.values_list("status", flat=True))
    extended = Extension.objects.get(status="approved").renovation
    assert extended.status == Renovation.Status.IN_WORKS and extended.permit.data["valid_until"] == str(
        extended.granted_end
    )
    # Every pass state, and a live pass whose badge expired by date (a verdict, not a state).
    assert set(WorkerPass.objects.values_list("status", flat=True)) == set(WorkerPass.Status)
    assert WorkerPass.objects.filter(reissues__gt=0, status="issued").exists()
    verdicts = {p.document.verdict for p in WorkerPass.objects.filter(status="issued").select_related("document")}
    assert {Document.Verdict.VALID, Document.Verdict.EXPIRED} <= verdicts
    forfeited = DepositEntry.objects.filter(source_key__startswith="workerpass:", kind="deducted")
    assert forfeited.exists()  # the refunded renovation's unreturned pass


def _access_passes_in_every_state() -> None:
    from permits.models import AccessPass

    assert set(AccessPass.objects.values_list("status", flat=True)) == set(AccessPass.Status)
    assert AccessPass.objects.filter(status="issued", reissues__gt=0).exists()
    assert AccessPass.objects.filter(status="cancelled", card_number="").exists()  # a request withdrawn
    assert {"deposit", "fee", "free"} <= set(AccessPass.objects.values_list("charge", flat=True))
    assert DepositEntry.objects.filter(source_key__startswith="accesspass:", kind="refunded").exists()


def _history_is_dated_when_it_happened() -> None:
    """Made through the services with the clock moved: registrations years ago, bills on the
    first of their months, receipts on the day of their payment."""
    oldest = AuditEvent.objects.filter(action="tenant.created").order_by("at").first()
    assert (timezone.now() - oldest.at).days > 365
    issued = Bill.objects.filter(source_key__startswith="monthly:").values_list("created_at", "issued_on")
    assert all(timezone.localdate(created) == issued_on for created, issued_on in issued)
    receipts = Document.objects.filter(kind="receipt").values_list("issued_at", flat=True)
    assert len({timezone.localdate(at) for at in receipts}) > 30


def _renders_no_pdf() -> None:
    """PDFs render on demand in the download view; the seed queues no rendering."""
    assert Document.objects.exists()
    assert not Document.objects.exclude(pdf="").exists()


def test_second_run_loads_nothing(db):
    BuildingFactory()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing loaded" in out.getvalue()
    assert not Tenant.objects.exists()


def _release_notes_in_every_state() -> None:
    """Release notes (issue 9): every state, a move-out note of the move-out in progress, a
    release recorded by the guard with the paper used."""
    from permits.models import ReleaseNote

    assert set(ReleaseNote.objects.values_list("status", flat=True)) == set(ReleaseNote.Status)
    move_out_note = ReleaseNote.objects.get(purpose="move_out")
    assert move_out_note.status == "issued" and move_out_note.move_out.status == "open"
    released = ReleaseNote.objects.filter(status="released").select_related("document", "released_by")
    assert all(n.document.status == "used" and n.released_by.username == "guard" for n in released)


def _parking_permits_in_every_state() -> None:
    """停车证: every state, the rental types, a renewal, a written reminder, the plate check."""
    import datetime

    from permits.models import ParkingPermit
    from permits.parking_selectors import plate_verdict

    permits = ParkingPermit.objects.all()
    assert set(permits.values_list("status", flat=True)) == set(ParkingPermit.Status)
    assert set(permits.values_list("rental_type", flat=True)) == set(ParkingPermit.RentalType)
    assert permits.filter(renewals__gt=0, status="issued").exists()
    assert permits.filter(space__isnull=False, status="issued").exists()
    assert Document.objects.filter(kind="parking_notice").exists()
    assert permits.filter(status="issued", end__lte=timezone.localdate() + datetime.timedelta(days=15)).exists()
    verdicts = {plate_verdict(p.plate).verdict for p in permits}
    assert {"valid", "expired", "revoked", "pending"} <= verdicts


def _temporary_power_in_every_state() -> None:
    from permits.models import TemporaryPower

    assert set(TemporaryPower.objects.values_list("status", flat=True)) == set(TemporaryPower.Status)
    overdue = TemporaryPower.objects.filter(status="switched_on", ends_at__lt=timezone.now())
    assert overdue.filter(has_meter=False).exists()  # an overdue switch-off, billed by load × hours
    assert TemporaryPower.objects.filter(status="closed", bill__isnull=False).exists()


def _hot_work_in_every_state() -> None:
    """动火作业: every state, and security's board has something live."""
    from permits.hot_work_selectors import hot_work_on_board
    from permits.models import HotWorkPermit

    assert set(HotWorkPermit.objects.values_list("status", flat=True)) == set(HotWorkPermit.Status)
    on_board = {p.status for p in hot_work_on_board(timezone.now())}
    assert {"approved", "in_progress", "fire_watch"} <= on_board


def _elevator_bookings_in_every_state() -> None:
    from permits.models import ElevatorBooking, FreightElevator

    assert FreightElevator.objects.count() == 2
    assert set(ElevatorBooking.objects.values_list("status", flat=True)) == set(ElevatorBooking.Status)
    assert ElevatorBooking.objects.filter(tenant__isnull=True).exists()  # the property's own
    keys = Bill.objects.filter(source_key__startswith="elevatorbooking:")
    assert {"open", "void"} <= set(keys.values_list("status", flat=True))  # billed; voided in time
    assert ElevatorBooking.objects.filter(status="booked", start__date__gte=timezone.localdate()).count() >= 4


def _meeting_rooms_of_a_month() -> None:
    """会议室 (venues): rooms, and bookings checked in, missed, cancelled in time (fee voided)
    and late, and to come; for companies, a customer and the property."""
    from venues.models import Booking, Space

    assert Space.objects.filter(kind=Space.Kind.MEETING_ROOM).count() == 4
    rooms = Booking.objects.filter(application=None)
    assert {"booked", "checked_in", "no_show", "cancelled"} <= set(rooms.values_list("status", flat=True))
    assert rooms.filter(tenant=None, customer=None).exists() and rooms.filter(customer__isnull=False).exists()
    assert rooms.filter(status="booked", start__gte=timezone.now()).count() >= 10
    keys = Bill.objects.filter(source_key__startswith="booking:")
    assert {"open", "void"} <= set(keys.values_list("status", flat=True))


def _repairs_of_a_year() -> None:
    """报修: a year of tickets in every state, some late, the demo engineer with open tickets of
    their own, the pool waiting, every category of the set-up used."""
    from datetime import timedelta

    from jinyuan.workflow.models import Deadline
    from repairs.models import RepairCategory, RepairTicket
    from repairs.selectors import overdue

    tickets = RepairTicket.objects.all()
    assert 400 <= tickets.count() <= 800
    assert set(tickets.values_list("status", flat=True)) == set(RepairTicket.Status)
    oldest = tickets.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timedelta(days=330)
    assert tickets.filter(status="closed").count() > tickets.count() * 0.8
    mine = tickets.filter(assignee__username="engineer", status__in=RepairTicket.OPEN)
    assert {"dispatched", "accepted", "on_site", "paused"} <= set(mine.values_list("status", flat=True))
    assert tickets.filter(status="pooled").count() >= 3
    assert tickets.filter(status="completed", assignee__username="engineer").count() >= 2  # to sign off
    assert overdue(tickets).exists()  # late now: in the pool and with the engineer
    late = Deadline.objects.filter(kind__in=RepairTicket.RESPONSE_KINDS, met=False).count()
    on_time = Deadline.objects.filter(kind__in=RepairTicket.RESPONSE_KINDS, met=True).count()
    assert 0 < late < on_time / 5  # mostly on time
    assert set(RepairCategory.objects.values_list("name", flat=True)) == set(
        tickets.values_list("category__name", flat=True)
    )
    assert RepairCategory.objects.filter(paid=True).exclude(price_range="").count() >= 3
    assert RepairCategory.objects.filter(emergency=True, response_minutes=15).exists()
    assert tickets.filter(tenant__isnull=True).exclude(place="").exists()  # a public area


def _paid_repairs_quoted_and_billed() -> None:
    """Every paid repair done was quoted from the price list, accepted (portal or desk) and
    billed to the company on the day of completion; a few quotes were declined (the ticket
    ends cancelled); tenant A's admin has one to answer today; some bills are paid."""
    from django.contrib.auth import get_user_model

    from repairs.models import RepairQuote, RepairQuoteMaterial, RepairTicket
    from repairs.selectors import tickets_of
    from tenants.selectors import membership_for

    paid = RepairTicket.objects.filter(category__paid=True)
    assert not paid.filter(tenant__isnull=True).exists()  # a public area has nobody to bill
    quotes = RepairQuote.objects.all()
    billed = quotes.filter(status="accepted", bill__isnull=False)
    done = paid.filter(status__in=["completed", "closed"])
    assert done.count() >= 50 and not done.exclude(pk__in=billed.values("ticket")).exists()
    assert {"portal", "desk"} <= set(billed.values_list("decided_via", flat=True))
    assert RepairQuoteMaterial.objects.exists() and quotes.filter(materials__isnull=True).exists()
    first_time = billed.filter(ticket__reopen_count=0).select_related("bill", "ticket")
    assert all(q.bill.issued_on == timezone.localdate(q.ticket.completed_at) for q in first_time)
    declined = quotes.filter(status="declined")
    assert 3 <= declined.count() <= quotes.count() * 0.15
    assert set(declined.values_list("ticket__status", flat=True)) == {"cancelled"}
    waiting = quotes.get(status="proposed")  # one, in the demo tenant admin's portal
    assert waiting.ticket.status == "paused" and waiting.ticket.pause_reason == "tenant"
    tenant_a = membership_for(get_user_model().objects.get(username="tenant_a")).tenant
    assert tickets_of(tenant_a).filter(pk=waiting.ticket_id).exists()
    bills = Bill.objects.filter(pk__in=billed.values("bill"))
    statuses = list(bills.values_list("status", flat=True))
    assert 0 < statuses.count("paid") < statuses.count("open")


def _repairs_signed_off_and_rated() -> None:
    """Most completions signed off (portal or desk) with ratings mostly 4–5; a few not
    satisfied, reopened, done again and signed off; others closed automatically after seven
    days; a few completed in the last days wait for sign-off."""
    from datetime import timedelta

    from repairs.models import RepairRating, RepairTicket

    ratings = RepairRating.objects.all()
    closed = RepairTicket.objects.filter(status="closed")
    assert ratings.count() > closed.count() * 0.5
    assert ratings.filter(overall__gte=4).count() > ratings.count() * 0.8
    assert ratings.filter(overall=3).exists()
    unsatisfied = ratings.filter(satisfied=False)
    assert 3 <= unsatisfied.count() <= ratings.count() * 0.08
    assert set(unsatisfied.values_list("overall", flat=True)) <= {1, 2}
    assert {"portal", "desk"} <= set(ratings.values_list("channel", flat=True))
    for rating in unsatisfied.select_related("ticket"):  # done again and signed off
        assert rating.ticket.status == "closed"
        assert ratings.filter(ticket=rating.ticket, round__gt=rating.round, satisfied=True).exists()
    auto = AuditEvent.objects.filter(action="repair.auto_closed").values("object_id")
    automatic = closed.filter(pk__in=auto)
    assert automatic.count() > closed.count() * 0.1
    assert all(t.closed_at - t.completed_at >= timedelta(days=7) for t in automatic)
    waiting = RepairTicket.objects.filter(status="completed")
    assert waiting.count() >= 3 and all(timezone.now() - t.completed_at < timedelta(days=7) for t in waiting)


def _return_visits_made_and_due() -> None:
    """Closures scheduled return visits (every paid one); those due in the past were made,
    a few 不满意 ones reopened the ticket, which was done again; the desk's worklist has one or
    two overdue and some due today."""
    from jinyuan.followups.models import FollowUp
    from jinyuan.followups.selectors import worklist
    from repairs.models import RepairTicket

    today = timezone.localdate()
    visits = FollowUp.objects.filter(content_type__model="repairticket")
    paid_closed = RepairTicket.objects.filter(status="closed", category__paid=True).values_list("pk", flat=True)
    assert set(paid_closed) <= set(visits.values_list("object_id", flat=True))
    done = visits.filter(status="done")
    assert set(done.values_list("result", flat=True)) == set(FollowUp.Result)
    complaints = done.filter(result="dissatisfied").values_list("object_id", flat=True)
    assert 1 <= len(complaints) <= done.count() * 0.1
    assert set(RepairTicket.objects.filter(pk__in=complaints).values_list("status", flat=True)) == {"closed"}
    assert not visits.filter(status="open", due_on__lt=today - timedelta(days=10)).exists()
    calls = worklist(today)
    assert 1 <= calls.filter(due_on__lt=today).count() <= 2
    assert calls.filter(due_on=today).exists()


def _paid_services_at_the_desk() -> None:
    """20–40 paid-service charges at the desk over the year, most paid on the spot (a
    receipt), each with its return visit, made when due in the past."""
    from billing.models import ServiceCharge
    from jinyuan.followups.models import FollowUp

    today = timezone.localdate()
    charges = ServiceCharge.objects.filter(source_id__isnull=True)
    assert 20 <= charges.count() <= 40
    assert timezone.now() - charges.order_by("created_at").first().created_at > timedelta(days=330)
    paid = charges.filter(bill__status="paid")
    assert paid.count() > charges.count() * 0.6
    taken = Payment.objects.filter(allocations__bill__in=paid.values("bill"))
    assert taken.filter(receipt__kind="receipt").count() >= paid.count()  # paid at once, a receipt each
    visits = FollowUp.objects.filter(content_type__model="servicecharge")
    assert visits.count() == charges.count()
    assert not visits.filter(status="open", due_on__lt=today).exists()
    assert visits.filter(status="done").count() >= 20


def _complaints_of_a_year() -> None:
    """投诉: 250–400 over the year in every state, every channel and type, from companies,
    visitors and anonymous callers, some urgent, on the categories of the set-up."""
    from complaints.models import Complaint, ComplaintCategory

    complaints = Complaint.objects.all()
    assert 250 <= complaints.count() <= 400
    assert set(complaints.values_list("status", flat=True)) == set(Complaint.Status)
    assert complaints.filter(status="closed").count() > complaints.count() * 0.8
    assert timezone.now() - complaints.order_by("created_at").first().created_at > timedelta(days=330)
    assert set(complaints.values_list("channel", flat=True)) == set(Complaint.Channel)
    assert set(complaints.values_list("kind", flat=True)) == set(Complaint.Kind)
    assert set(complaints.values_list("reply_via", flat=True)) >= {"portal", "phone", "email", "in_person"}
    assert complaints.filter(anonymous=True).count() >= 5
    assert complaints.filter(tenant__isnull=True, anonymous=False).count() >= 20  # visitors
    assert complaints.filter(urgent=True).count() >= 5
    assert set(ComplaintCategory.objects.values_list("name", flat=True)) == set(
        complaints.values_list("category__name", flat=True)
    )
    assert {"噪音", "保洁", "停车", "空调温度", "服务态度", "电梯", "安保", "收费"} <= set(
        ComplaintCategory.objects.values_list("name", flat=True)
    )
    assert set(complaints.exclude(department="").values_list("department", flat=True)) == {
        "engineering",
        "security",
        "cleaning",
        "desk",
    }
    cancelled = AuditEvent.objects.filter(action__in=["complaint.cancelled", "complaint.withdrawn"])
    assert cancelled.count() == complaints.filter(status="cancelled").count()


def _complaints_answered_and_visited() -> None:
    """Replies approved by the supervisor (some sent back once first), valid or invalid with a
    reason, acknowledgements and replies mostly in time with some late; return visits made
    when due (a few 不满意 reopened the complaint, which closed again), none overdue."""
    from complaints.models import Complaint
    from jinyuan.followups.models import FollowUp
    from jinyuan.workflow.models import Deadline

    closed = Complaint.objects.filter(status="closed")
    assert not closed.filter(approved_reply="").exists()
    assert set(closed.values_list("approved_by__username", flat=True)) == {"supervisor"}
    sent_back = AuditEvent.objects.filter(action="complaint.sent_back").values("object_id").distinct()
    assert 10 <= sent_back.count() <= closed.count() * 0.25
    invalid = Complaint.objects.filter(validity="invalid")
    assert invalid.count() >= 5 and not invalid.filter(validity_reason="").exists()
    assert Complaint.objects.filter(validity="valid").count() > invalid.count() * 5
    for kind in ("acknowledgement", "reply"):
        runs = Deadline.objects.filter(content_type__model="complaint", kind=kind, state="stopped")
        late, on_time = runs.filter(met=False).count(), runs.filter(met=True).count()
        assert 5 <= late <= on_time / 5, kind  # mostly in time, some late
    assert Deadline.objects.filter(content_type__model="complaint", kind="reply", state="paused").exists()
    visits = FollowUp.objects.filter(content_type__model="complaint")
    done = visits.filter(status="done")
    assert set(closed.values_list("pk", flat=True)) <= set(visits.values_list("object_id", flat=True))
    assert set(done.values_list("result", flat=True)) == set(FollowUp.Result)
    assert done.filter(result="satisfied").count() > done.count() * 0.5
    assert visits.filter(status="cancelled").exists()  # an anonymous caller left no number
    reopened = Complaint.objects.filter(reopen_count__gt=0)
    dissatisfied = done.filter(result="dissatisfied").values_list("object_id", flat=True)
    assert len(dissatisfied) >= 3 and set(dissatisfied) <= set(reopened.values_list("pk", flat=True))
    assert reopened.filter(status="closed").count() >= 3  # answered again and closed
    assert not visits.filter(status="open", due_on__lt=timezone.localdate()).exists()


def _complaints_open_today() -> None:
    """Something on every desk today: to acknowledge (one late), assign and send; replies for
    the supervisor; the engineer's open complaints, one past its reply deadline; tenant A's
    own complaint in its portal."""
    from django.contrib.auth import get_user_model

    from complaints.models import Complaint
    from complaints.selectors import complaints_for
    from jinyuan.workflow.models import Deadline

    open_now = Complaint.objects.filter(status__in=Complaint.OPEN)
    assert {"recorded", "acknowledged", "assigned", "proposed", "approved", "waiting"} == set(
        open_now.values_list("status", flat=True)
    )
    assert open_now.filter(status="proposed").count() >= 3
    assert open_now.filter(assignee__username="engineer").count() >= 2
    late_now = Deadline.objects.filter(
        content_type__model="complaint", state="running", due_at__lt=timezone.now()
    ).values_list("kind", flat=True)
    assert {"acknowledgement", "reply"} <= set(late_now)
    tenant_a = get_user_model().objects.get(username="tenant_a")
    mine = complaints_for(tenant_a).filter(applicant=tenant_a, channel="portal")
    assert mine.filter(status__in=Complaint.OPEN).exists() and mine.filter(status="closed").exists()


def _venue_applications_in_every_state() -> None:
    """Public space and events (issue 15): every state, for companies and a customer; deposits
    settled whole, less damage and with damage beyond it billed; an event notice issued."""
    from venues.models import VenueApplication

    assert set(VenueApplication.objects.values_list("status", flat=True)) == set(VenueApplication.Status)
    assert VenueApplication.objects.filter(customer__isnull=False).exists()
    assert Bill.objects.filter(source_key__startswith="venueapp:", source_key__endswith=":damage").exists()
    assert DepositEntry.objects.filter(source_key__startswith="venueapp:", kind="deducted").exists()
    assert Document.objects.filter(kind="event_notice").exists()


def _liaison_visits_and_emergencies() -> None:
    """A month of liaison visits on a quarterly plan partly done, needs open and done (a few
    overdue), and emergencies open, closed (one with its repair ticket) and voided."""
    import datetime as dt

    from frontdesk import liaison_selectors
    from frontdesk.models import ActionItem, Emergency, Visit, VisitPlan
    from repairs.models import RepairTicket

    now = timezone.now()
    visits = Visit.objects.all()
    assert visits.count() >= 20
    assert visits.filter(visited_at__lt=now - dt.timedelta(days=25)).exists()
    assert visits.filter(visited_at__gte=now - dt.timedelta(days=3)).exists()
    counts = liaison_selectors.plan_counts(VisitPlan.objects.get())
    assert counts["visited"] > 0 and counts["due"] > 0
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"open", "done", "cancelled"}
    assert ActionItem.objects.filter(status="open", due_at__lt=now).exists()
    assert set(Emergency.objects.values_list("status", flat=True)) == {"open", "closed", "voided"}
    leak = Emergency.objects.get(kind=Emergency.Kind.WATER_LEAK)
    assert RepairTicket.objects.filter(source_id=leak.pk, source_type__model="emergency").count() == 1
