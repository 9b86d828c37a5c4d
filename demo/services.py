"""Loading and wiping the demo data of 金源CBD现代城 (``manage.py seed_demo``)."""

import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from billing.models import Allocation, Bill, BillLine, DepositEntry, Payment
from jinyuan.attachments.models import Attachment
from jinyuan.documents.models import Document
from jinyuan.followups.selectors import worklist
from jinyuan.workflow.models import AuditEvent, Notification
from permits.models import AccessPass, PremisesCertificate
from renovation.models import Renovation
from tenants.models import Building, Contact, Floor, MoveIn, MoveOut, Occupancy, Signboard, Tenant, Unit

from . import access_passes, bills, certificates, clock, lifecycle, people, release_notes, renovations
from .bulk import analyze
from .premises import Layout, Premises, create_premises

RANDOM_SEED = 136  # 民族大道136号: the same demo every time


@dataclass(frozen=True)
class Scale:
    name: str
    layout: Layout
    tenants: int
    portal_admins: int  # tenants with a portal administrator login
    bill_months: int  # months of property-fee bills, this one included
    # False: everything through the services, as the people would have done it. True: the
    # history written with COPY, shaped as the services leave it (tests/test_demo_shape.py);
    # what happens today still goes through the services.
    bulk: bool
    bulk_certificates: int = 0  # with ``bulk``; the small demo walks a few dozen instead


SCALES = {
    # Two towers, smaller than the real 30 storeys of 金源CBD现代城 so that `make run`, which
    # seeds each time, walks every step through the services in seconds.
    "small": Scale(
        "small",
        Layout(("A", "B"), floors=10, units_per_floor=8),
        tenants=80,
        portal_admins=12,
        bill_months=3,
        bulk=False,
    ),
    # For the benchmarks: four 50-storey towers of 25 units a floor, every tenant with a portal admin.
    "large": Scale(
        "large",
        Layout(("A", "B", "C", "D"), floors=50, units_per_floor=25),
        tenants=3000,
        portal_admins=3000,
        bill_months=36,
        bulk=True,
        bulk_certificates=20_000,
    ),
}

# Apps whose tables a reset empties. TRUNCATE ... CASCADE also empties every table that points
# at these (a later app's bookings), while tables nothing points at, such as the groups made by
# migrations, keep their rows.
RESET_APPS = (
    "accounts",
    "tenants",
    "permits",
    "renovation",
    "repairs",
    "complaints",
    "billing",
    "documents",
    "attachments",
    "workflow",
    "admin",
    "sessions",
    "axes",
)
# Rows made by migrations that a reset keeps: the price list and the reminder schedule, which finance may have edited
# since. (Nothing it keeps points at an emptied table, so CASCADE leaves it alone.)
RESET_KEEPS = (
    "billing.feeitem",
    "billing.reminderstep",
    "renovation.fireapprovalrule",
    "renovation.deposittier",
    "renovation.feeschedule",
)


@dataclass
class Summary:
    scale: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)
    bills: dict[str, int] = field(default_factory=dict)
    signboards: dict[str, int] = field(default_factory=dict)
    repairs: dict[str, int] = field(default_factory=dict)
    quotes: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)  # by result ("": still to make)
    complaints: dict[str, int] = field(default_factory=dict)
    logins: list[people.Login] = field(default_factory=list)


def has_data() -> bool:
    return Building.objects.exists() or Tenant.objects.exists()


def reset() -> None:
    """Empty the demo's tables. Only for demo and benchmark databases: nothing else ever deletes."""
    installed = {c.label for c in apps.get_app_configs()}
    existing = set(connection.introspection.table_names())  # a model may be ahead of its migration
    tables = [
        model._meta.db_table
        for label in RESET_APPS
        if label in installed
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.db_table in existing and model._meta.label_lower not in RESET_KEEPS
    ]
    if Attachment._meta.db_table in existing:
        delete_attachment_files()
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def delete_attachment_files() -> None:
    """Attachments (the tenants' archive among them) have random names that no later seed
    rewrites: remove the files the rows about to go point at, so resets leave no orphans
    behind. (Documents' PDFs are named by their numbers and rewritten by the next seed.)"""
    for item in Attachment.objects.only("file", "thumbnail"):
        item.file.delete(save=False)
        item.thumbnail.delete(save=False)


def seed(scale: Scale) -> Summary:
    """Load the demo into an empty database, in one transaction: all of it or nothing."""
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    today = timezone.localdate()
    # Invitations e-mailed while seeding would flood the console; nobody reads them.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        clock.no_tasks(),
        transaction.atomic(),
    ):
        staff = people.create_staff()
        desk, supervisor = staff["desk"], staff["supervisor"]
        premises = create_premises(rng, scale.layout, scale.tenants, today, desk, bulk=scale.bulk)
        admins = people.create_portal_users(
            rng, premises.tenants, premises.contacts, scale.portal_admins, desk, bulk=scale.bulk
        )
        if scale.bulk:
            plans = certificates.plan_requests(
                rng, premises, scale.bulk_certificates, admins, desk.pk, supervisor.pk, today
            )
            certificates.in_bulk(premises, plans)
        else:
            certificates.through_services(rng, premises, admins, desk, supervisor, today)
        seed_billing_and_lifecycle(rng, scale, premises, staff, admins, today)
    # Right after a bulk load the planner still sees empty tables; autovacuum would analyze
    # them within a minute, the first pages served (or benchmarked) should not wait.
    analyze(Bill, BillLine, Payment, Allocation, Document, AuditEvent, Signboard)
    summary = summarize(scale.name)
    summary.seconds = time.monotonic() - started
    summary.logins = people.logins(premises.tenants)
    return summary


def seed_billing_and_lifecycle(
    rng: random.Random, scale: Scale, premises: Premises, staff: dict, admins: list, today: date
) -> None:
    """Monthly bills and their payments, then what happens today: payments and deposits
    through the services, move-ins, a move-out and signboards in progress."""
    clerks = bills.Clerks(system=staff["admin"], desk=staff["desk"], finance=staff["finance"])
    crew = lifecycle.People(desk=staff["desk"], supervisor=staff["supervisor"], admins=admins)
    directory = lifecycle.plan_directory(rng, premises, today)
    if scale.bulk:
        lobby = lifecycle.directory_in_bulk(premises, directory, staff["desk"], clerks)
        bills.history_in_bulk(rng, premises, scale.bill_months, today, clerks)
    else:
        lobby = lifecycle.directory_through_services(premises, directory, staff["desk"], clerks)
        bills.recent_through_services(rng, premises, scale.bill_months, today, clerks)
    bills.payments_through_services(rng, premises, today, clerks)
    bills.deposits_through_services(rng, premises, today, clerks)
    lifecycle.move_ins_through_services(rng, premises, crew, clerks, today)
    lifecycle.move_out_through_services(premises, crew, today)
    lifecycle.completed_move_out_through_services(rng, premises, crew, clerks, today)
    lifecycle.signboards_through_services(rng, premises, crew, clerks, lobby, today)
    if not scale.bulk:
        team = renovations.People(staff["desk"], staff["supervisor"], staff["engineer"], staff["guard"])
        renovations.through_services(premises, team, admins, today)
    # Release notes (issue 9): a dozen through the services at either scale, every state.
    release_notes.through_services(premises, admins, staff["desk"], staff["guard"], today)
    access_passes.through_services(premises, staff["desk"], admins, today)
    # 停车证: a dozen permits in every state, through the services at both scales.
    from . import parking

    parking.through_services(premises, parking.People(staff["desk"], staff["finance"]), admins, today)
    # 临时用电 temporary power (issue 10): one permit in every state, through the services.
    from . import temporary_power

    temporary_power.through_services(premises, temporary_power.People(staff["desk"], staff["engineer"]), admins, today)
    # 动火作业: a dozen hot-work permits in every state, through the services at both scales.
    from . import hot_work

    hot_work.through_services(premises, hot_work.People(staff["engineer"], staff["guard"]), admins, today)
    # 专用货梯: two freight elevators and a week of bookings in every state, at both scales.
    from . import elevator

    elevator.through_services(
        premises, elevator.People(staff["desk"], staff["engineer"], staff["guard"]), admins, today
    )
    # 收费标准: ranged paid-service items and a dated price change.
    from . import price_list

    price_list.through_services(staff["finance"], today)
    # 报修: a year of repair tickets through the services, at both scales; last, as it draws
    # the most from the random stream.
    from . import repairs

    team = repairs.People(staff["desk"], repairs.ensure_engineers(staff["engineer"]))
    repairs.through_services(rng, premises, team, admins, today)
    # 有偿服务: the desk's paid-service charges of the year, paid on the spot, visited after.
    from . import paid_services

    paid_services.through_services(rng, premises, staff["desk"], today)
    # 投诉: a year of complaints through the services, their return visits, today's open ones.
    from . import complaints

    complaints.through_services(
        rng,
        premises,
        complaints.People(staff["desk"], staff["supervisor"], team.engineers, staff["guard"]),
        admins,
        today,
    )
    # 客户 (issue 14): payers who rent no unit, billed, paying and leaving deposits.
    from . import customers

    customers.through_services(customers.People(staff["desk"], staff["finance"], staff["supervisor"]), today)
    # 公共场地 / 商业文化活动 (issue 15): public spaces and a month of applications and events.
    from . import venue_events

    venue_events.through_services(
        premises, venue_events.People(staff["desk"], staff["supervisor"], staff["guard"]), admins, today
    )
    # 会议室 (venues): four meeting rooms and a month of bookings in every state, at both scales.
    from . import venue_rooms

    venue_rooms.through_services(premises, venue_rooms.People(staff["desk"]), admins, today)
    # 值班记录 and 访客咨询 (issue 16): a month of shifts with entries, handovers and inquiries.
    from . import frontdesk_duty

    frontdesk_duty.through_services(
        premises, frontdesk_duty.People(staff["desk"], staff["supervisor"], staff["engineer"]), today
    )
    # 公告 (frontdesk): a month of announcements, read receipts and the desk's calls, at both scales.
    from . import frontdesk_notices

    frontdesk_notices.through_services(
        premises, frontdesk_notices.People(staff["desk"], staff["supervisor"]), admins, today
    )
    # 业户走访 and 应急事件 (issue 16): a month of visits on a quarterly plan, follow-up items, emergencies.
    from . import frontdesk_liaison

    frontdesk_liaison.through_services(
        premises,
        frontdesk_liaison.People(staff["desk"], staff["supervisor"], staff["engineer"], staff["guard"]),
        today,
    )
    # 废品收购 / 代派资料 (issue 16): a month of recyclables requests and a few material distributions.
    from . import frontdesk_requests

    frontdesk_requests.through_services(
        premises, frontdesk_requests.People(staff["desk"], staff["supervisor"]), admins, today
    )
    # 催缴: late fees billed at each month end, reminders, notices, calls with promises, a
    # demand letter; after everything that bills or pays.
    from . import arrears

    arrears.through_services(
        arrears.People(staff["desk"], staff["finance"], staff["supervisor"]), today, bulk=scale.bulk
    )
    # 发票: invoice requests issued, refused and waiting (one past five working days).
    from . import invoices

    invoices.through_services(premises, invoices.People(staff["desk"], staff["finance"]), admins, today)
    # 抄表: meters of the first building, three months read, confirmed and billed, this month open.
    from . import meters

    meters.through_services(rng, premises, meters.People(staff["desk"], staff["engineer"], staff["supervisor"]), today)
    # --- 巡视 (issue 17): a month of patrols, demo/frontdesk_patrols.py ---
    from . import frontdesk_patrols

    frontdesk_patrols.through_services(
        premises, frontdesk_patrols.People(staff["guard"], staff["engineer"], staff["supervisor"]), today
    )

    # --- 品质检查 (issue 17): a month of quality checks, demo/frontdesk_quality.py ---
    from . import frontdesk_quality

    frontdesk_quality.through_services(
        frontdesk_quality.People(staff["desk"], staff["supervisor"], staff["engineer"], staff["guard"]), today
    )

    # --- 大厦管理日志 (issue 17): a month of daily logs, after the other events: demo/frontdesk_management_log.py ---
    from . import frontdesk_management_log

    frontdesk_management_log.through_services(
        frontdesk_management_log.People(staff["supervisor"], staff["engineer"]), today
    )

    # --- the supervisor dashboard's monthly report (issue 17): demo/frontdesk_dashboard.py ---
    from . import frontdesk_dashboard

    frontdesk_dashboard.through_services(today)

    bills.check_ledgers()


def summarize(scale: str) -> Summary:
    today = timezone.localdate()
    current = Occupancy.objects.filter(start__lte=today).exclude(end__lte=today)
    counts = {
        "buildings": Building.objects.count(),
        "floors": Floor.objects.count(),
        "units": Unit.objects.count(),
        "vacant units": Unit.objects.exclude(pk__in=current.values("unit")).count(),
        "tenants": Tenant.objects.count(),
        "tenants occupying now": Tenant.objects.filter(pk__in=current.values("tenant")).count(),
        "contacts": Contact.objects.count(),
        "occupancies": Occupancy.objects.count(),
        "documents": Document.objects.count(),
        "receipts": Document.objects.filter(kind="receipt").count(),
        "rendered PDFs": Document.objects.exclude(pdf="").count(),
        "bill lines": BillLine.objects.count(),
        "payments": Payment.objects.count(),
        "allocations": Allocation.objects.count(),
        "deposit entries": DepositEntry.objects.count(),
        "customers": apps.get_model("billing", "Customer").objects.count(),
        "move-ins": MoveIn.objects.count(),
        "move-outs": MoveOut.objects.count(),
        "attachments": Attachment.objects.count(),
        "renovations": Renovation.objects.count(),
        "access passes": AccessPass.objects.count(),
        "parking permits": apps.get_model("permits", "ParkingPermit").objects.count(),
        "hot-work permits": apps.get_model("permits", "HotWorkPermit").objects.count(),
        "freight elevator bookings": apps.get_model("permits", "ElevatorBooking").objects.count(),
        "venue applications and events": apps.get_model("venues", "VenueApplication").objects.count(),
        "meeting-room bookings": apps.get_model("venues", "Booking").objects.filter(application=None).count(),
        "repair tickets": apps.get_model("repairs", "RepairTicket").objects.count(),
        "repair quotes": apps.get_model("repairs", "RepairQuote").objects.count(),
        "repair ratings": apps.get_model("repairs", "RepairRating").objects.count(),
        "paid services (desk)": apps.get_model("billing", "ServiceCharge").objects.filter(source_id=None).count(),
        "paid repairs billed": apps.get_model("repairs", "RepairQuote").objects.exclude(bill=None).count(),
        "complaints": apps.get_model("complaints", "Complaint").objects.count(),
        "complaints reopened": apps.get_model("complaints", "Complaint").objects.filter(reopen_count__gt=0).count(),
        "anonymous complaints": apps.get_model("complaints", "Complaint").objects.filter(anonymous=True).count(),
        "late-fee bills": Bill.objects.filter(source_key__startswith="latefee:").count(),
        "reminders sent": apps.get_model("billing", "ReminderSent").objects.count(),
        "arrears calls and visits": apps.get_model("billing", "ArrearsContact").objects.count(),
        "demand letters": apps.get_model("billing", "DemandLetter").objects.count(),
        "invoice requests": apps.get_model("billing", "InvoiceRequest").objects.count(),
        "return visits": apps.get_model("followups", "FollowUp").objects.count(),
        "return visits to make": worklist().count(),
        "audit events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }
    return Summary(
        scale=scale,
        counts=counts,
        certificates=by_status(PremisesCertificate),
        bills=by_status(Bill),
        signboards=by_status(Signboard),
        repairs=by_status(apps.get_model("repairs", "RepairTicket")),
        quotes=by_status(apps.get_model("repairs", "RepairQuote")),
        visits=by_field(apps.get_model("followups", "FollowUp"), "result"),
        complaints=by_status(apps.get_model("complaints", "Complaint")),
    )


def by_status(model) -> dict[str, int]:
    return by_field(model, "status")


def by_field(model, name: str) -> dict[str, int]:
    return dict(sorted(model.objects.order_by().values_list(name).annotate(n=Count("pk"))))


def existing_logins() -> list[people.Login]:
    """The demo logins, if this database holds the demo (the desk login exists)."""
    if not get_user_model().objects.filter(username=people.STAFF[0].username).exists():
        return []
    return people.logins(list(Tenant.objects.order_by("pk")[:2]))
