"""Public-space applications 公共场地使用申请 and events 商业文化活动: every write and state change.

A company (portal), or the desk for a company or a customer (a non-tenant payer), applies for
one or more spaces over a use window, with setup before and teardown after. Submitting holds
the spaces at once: one PENDING booking per space over ``[use_start - setup, use_end +
teardown)``, all inserted in one transaction under the spaces' row locks (pk order), so the
exclusion constraint refuses any overlap with a meeting-room booking or another application,
pending ones included; the refusal names the space and the time in the way.

Security approves first when it must (every event; a space that says so; an expected crowd of
``VENUE_CROWD_FOR_SECURITY`` or more), then the supervisor. The supervisor's approval confirms
the bookings, bills the fees and the facilities deposit to the payer in one bill (``source_key
venueapp:<pk>``) and, for an event, issues the event notice 活动通知 the guards scan. A refusal
or a withdrawal frees the spaces (bookings rejected or cancelled) and voids an unpaid bill.

During the use the desk or security checks on site (in order or not, photos); the closing check
after it states the damage, which the deposit covers first (billing.deposit_settle_source:
kept with the reason, the rest refunded) and the rest is billed; the bookings are done.

Fees: each space's daily rate per day of use (local calendar days the use touches); items per
unit per day (posters per sheet, at most 15 days; banners per piece; stalls per stall), priced
from the price list when applying. The deposit is the sum of the spaces' deposits.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import ZERO, Bill, Customer, FeeItem
from billing.services import LineSpec, bill_create, bill_void, deposit_settle_source
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.services import attachment_add
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.id_numbers import validate_id_number
from jinyuan.phones import validate_phone
from jinyuan.ranges import insert_without_overlap
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow.services import TransitionRefused, check_transition, next_number, notify, record_event, transition
from tenants.models import Tenant
from tenants.services import notify_tenant

from .models import ApplicationItem, Booking, SiteCheck, Space, VenueApplication

NUMBER_PREFIX = "CD"
NOTICE_KIND = "event_notice"
MAX_POSTER_DAYS = 15
MAX_USE_DAYS = 31
MAX_SETUP_MINUTES = 48 * 60
MAX_AHEAD = dt.timedelta(days=730)
MAX_QUANTITY = 10_000
MAX_ATTENDANCE = 1_000_000

# The price list's items (the migration creates them; a flushed test database gets them back here).
FEE_ITEMS = {
    # code: (name, kind, price, unit)
    "venue_fee": ("场地使用费", FeeItem.Kind.ONE_OFF, "6000.00", "元/天"),
    "venue_poster": ("海报张贴费", FeeItem.Kind.ONE_OFF, "5.00", "元/张/天"),
    "venue_banner": ("横幅悬挂费", FeeItem.Kind.ONE_OFF, "50.00", "元/条/天"),
    "venue_stall": ("摊位费", FeeItem.Kind.ONE_OFF, "200.00", "元/个/天"),
    "venue_damage": ("场地设施损坏赔偿", FeeItem.Kind.ONE_OFF, "0.00", "元"),
    "event_deposit": ("活动保证金", FeeItem.Kind.DEPOSIT, "10000.00", "元"),
}
# The items an application may list, by the form's field prefix.
ITEM_CODES = {"poster": "venue_poster", "banner": "venue_banner", "stall": "venue_stall"}

TEXT_FIELDS = (
    "title",
    "purpose",
    "plan",
    "organiser",
    "person_in_charge",
    "person_id_number",
    "contact_phone",
    "safety_measures",
    "emergency_plan",
)
EVENT_REQUIRED = (
    "plan",
    "organiser",
    "person_in_charge",
    "person_id_number",
    "contact_phone",
    "safety_measures",
    "emergency_plan",
)


def fee_item(code: str) -> FeeItem:
    name, kind, price, unit = FEE_ITEMS[code]
    item, _created = FeeItem.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "price": Decimal(price), "unit_label": unit}
    )
    return item


def bill_key(app: VenueApplication) -> str:
    return f"venueapp:{app.pk}"


def damage_key(app: VenueApplication) -> str:
    return f"venueapp:{app.pk}:damage"


def crowd_for_security() -> int:
    return int(getattr(settings, "VENUE_CROWD_FOR_SECURITY", 100))


def use_days(start: dt.datetime, end: dt.datetime) -> int:
    """Calendar days (local) the use touches: 10:00 one day to 18:00 the next is 2 days."""
    first = timezone.localdate(start)
    last = timezone.localdate(end - dt.timedelta(microseconds=1))
    return (last - first).days + 1


def _local(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


# --- the quote ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """An item asked for: ``code`` of ITEM_CODES' values, quantity and days."""

    code: str
    quantity: int
    days: int


@dataclass(frozen=True)
class Quote:
    days: int
    space_fees: list[tuple[Space, Decimal]]  # each space's daily rate × days
    items: list[tuple[FeeItem, int, int, Decimal]]  # fee item, quantity, days, unit price
    deposit: Decimal

    @property
    def fee(self) -> Decimal:
        spaces = sum((f for _s, f in self.space_fees), ZERO)
        return spaces + sum((Decimal(q * d) * p for _i, q, d, p in self.items), ZERO)


def quote(spaces: Sequence[Space], items: Sequence[ItemSpec], start: dt.datetime, end: dt.datetime) -> Quote:
    """The fee and deposit of a use: the prices of now (the price list's, the spaces')."""
    days = use_days(start, end)
    priced = []
    for spec in items:
        if spec.quantity:
            item = fee_item(spec.code)
            priced.append((item, spec.quantity, spec.days, item.price))
    return Quote(
        days=days,
        space_fees=[(s, s.daily_rate * days) for s in spaces],
        items=priced,
        deposit=sum((s.deposit for s in spaces), ZERO),
    )


def needs_security(kind: str, spaces: Iterable[Space], attendance: int) -> bool:
    return (
        kind == VenueApplication.Kind.EVENT
        or any(s.needs_security for s in spaces)
        or (attendance >= crowd_for_security())
    )


# --- checks -----------------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_fields(
    *,
    kind: str,
    fields: dict[str, Any],
    spaces: Sequence[Space],
    items: Sequence[ItemSpec],
    now: dt.datetime,
) -> dict[str, Any]:
    """Every rule on what the applicant writes, each error beside its field."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in VenueApplication.Kind.values:
        err("kind", _("Choose a public-space use or an event."))
    values: dict[str, Any] = {k: (fields.get(k) or "").strip() for k in TEXT_FIELDS}
    for key in ("title", "purpose"):
        if not values[key]:
            err(key, _("This field is required."))
    is_event = kind == VenueApplication.Kind.EVENT
    attendance = _int(fields.get("expected_attendance"))
    if attendance is None or attendance < 0 or attendance > MAX_ATTENDANCE:
        err("expected_attendance", _("Give a whole number, 0 or more."))
        attendance = 0
    values["expected_attendance"] = attendance
    if is_event:
        for key in EVENT_REQUIRED:
            if not values[key]:
                err(key, _("An event needs this."))
        if attendance == 0 and "expected_attendance" not in errors:
            err("expected_attendance", _("Say how many people are expected."))
    if values["person_id_number"]:
        values["person_id_number"] = values["person_id_number"].upper()
        try:
            validate_id_number(values["person_id_number"])
        except ValidationError as exc:
            errors.setdefault("person_id_number", []).extend(exc.messages)
    if values["contact_phone"]:
        try:
            validate_phone(values["contact_phone"])
        except ValidationError as exc:
            errors.setdefault("contact_phone", []).extend(exc.messages)
    area = fields.get("area_m2")
    if area not in (None, ""):
        try:
            area = Decimal(area)
        except (ArithmeticError, ValueError, TypeError):
            area = None
        if area is None or area < 0:
            err("area_m2", _("Give the area in m², 0 or more."))
    values["area_m2"] = area if area not in ("",) else None
    for key in ("setup_minutes", "teardown_minutes"):
        minutes = _int(fields.get(key))
        if minutes is None or minutes < 0:
            err(key, _("Give the minutes, 0 or more."))
            minutes = 0
        elif minutes > MAX_SETUP_MINUTES:
            err(key, _("At most %(n)d hours.") % {"n": MAX_SETUP_MINUTES // 60})
        values[key] = minutes
    start, end = fields.get("use_start"), fields.get("use_end")
    if start is None:
        err("use_start", _("Give the start of the use."))
    if end is None:
        err("use_end", _("Give the end of the use."))
    days = 1
    if start is not None and end is not None and not (now - MAX_AHEAD < start < now + MAX_AHEAD):
        # Far-off dates (year 1 or 9999 typed by mistake) are refused before any arithmetic on
        # them could overflow.
        err("use_start", _("Give a start within the next %(n)d days.") % {"n": MAX_AHEAD.days})
        start = end = None
    elif end is not None and not (now - MAX_AHEAD < end < now + 2 * MAX_AHEAD):
        err("use_end", _("Give an end within %(n)d days of the start.") % {"n": MAX_USE_DAYS})
        end = None
    if start is not None and end is not None:
        setup = dt.timedelta(minutes=values["setup_minutes"])
        teardown = dt.timedelta(minutes=values["teardown_minutes"])
        if end <= start:
            err("use_end", _("The end must be after the start."))
        else:
            days = use_days(start, end)
            if days > MAX_USE_DAYS:
                err("use_end", _("One application covers at most %(n)d days.") % {"n": MAX_USE_DAYS})
        if start - setup < now:
            err("use_start", _("The use (its setup included) cannot start in the past."))
        elif end > start and timezone.localdate(start - setup) == timezone.localdate(end + teardown):
            for space in spaces:
                opens, closes = timezone.localtime(start - setup).time(), timezone.localtime(end + teardown).time()
                if opens < space.opens or closes > space.closes:
                    err(
                        "use_start",
                        _("%(space)s is open from %(opens)s to %(closes)s (setup and teardown included).")
                        % {"space": space.name, "opens": f"{space.opens:%H:%M}", "closes": f"{space.closes:%H:%M}"},
                    )
    values["use_start"], values["use_end"] = fields.get("use_start"), fields.get("use_end")
    if not spaces:
        err("spaces", _("Choose at least one space."))
    for space in spaces:
        if not space.is_active or space.is_meeting_room:
            err("spaces", _("%(space)s cannot be applied for here.") % {"space": space.name})
    for spec in items:
        q, d = _int(spec.quantity), _int(spec.days)
        field = next((k for k, v in ITEM_CODES.items() if v == spec.code), spec.code)
        if q is None or q < 0 or q > MAX_QUANTITY:
            err(f"{field}_quantity", _("Give a whole number, 0 or more."))
            continue
        if d is None or d < 0 or d > MAX_QUANTITY:
            err(f"{field}_days", _("Give a whole number, 0 or more."))
            continue
        if q == 0:
            continue
        if d == 0:
            err(f"{field}_days", _("Give the number of days."))
        elif spec.code == "venue_poster" and d > MAX_POSTER_DAYS:
            err(f"{field}_days", _("Posters stay up at most %(n)d days.") % {"n": MAX_POSTER_DAYS})
        elif d > days:
            err(f"{field}_days", _("At most the %(n)d days of the use.") % {"n": days})
    if errors:
        raise ValidationError(errors)
    values["kind"] = kind
    return values


def conflict_message(spaces: Sequence[Space], start: dt.datetime, end: dt.datetime) -> str:
    """Names the space and the time of the live use in the way (never whose it is: a tenant
    learns only that the space is taken)."""
    other = (
        Booking.objects.filter(space__in=spaces, status__in=Booking.LIVE, start__lt=end, end__gt=start)
        .select_related("space")
        .order_by("start", "pk")
        .first()
    )
    if other is None:
        return _("One of these spaces is already in use at that time.")
    if other.status == Booking.Status.PENDING:
        return _("%(space)s is held %(time)s by another application waiting for approval.") % {
            "space": other.space.name,
            "time": other.hours_text,
        }
    return _("%(space)s is already in use %(time)s.") % {"space": other.space.name, "time": other.hours_text}


# --- applying -----------------------------------------------------------------------------------


def application_submit(
    *,
    by: Any,
    kind: str,
    spaces: Sequence[Space],
    items: Sequence[ItemSpec] = (),
    tenant: Tenant | None = None,
    customer: Customer | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> VenueApplication:
    """Apply for the spaces over the window: the application and its pending bookings (the
    spaces held) in one transaction. Of twenty applications for one space and time at once, one
    is saved; the others get the message beside the spaces naming the use in the way.

    ``tenant`` (the portal, or the desk for a company) or ``customer`` (the desk for a payer who
    rents no unit): exactly one."""
    if (tenant is None) == (customer is None):
        raise ValidationError({"payer": _("Choose the company or the customer who pays.")})
    now = now or timezone.now()
    spaces = sorted({s.pk: s for s in spaces}.values(), key=lambda s: s.pk)
    values = check_fields(kind=kind, fields=fields, spaces=spaces, items=items, now=now)
    price = quote(spaces, items, values["use_start"], values["use_end"])
    security = needs_security(kind, spaces, values["expected_attendance"])
    by_desk = tenant is None or by.has_role(Role.FRONT_DESK, Role.SUPERVISOR)
    with transaction.atomic():
        # The spaces' locks first (pk order), then the number's: every writer takes them in
        # this order, so none waits for another in a circle.
        lock = Space.objects.filter(pk__in=[s.pk for s in spaces])
        list(lock.select_for_update().order_by("pk").values_list("pk", flat=True))
        app = VenueApplication(
            applicant=by,
            tenant=tenant,
            customer=customer,
            status=VenueApplication.Status.SUBMITTED,
            number=next_number(NUMBER_PREFIX),
            needs_security=security,
            fee=price.fee,
            deposit=price.deposit,
            **values,
        )
        app.full_clean(exclude=["applicant", "tenant", "customer", "document"])
        app.save()
        ApplicationItem.objects.bulk_create(
            ApplicationItem(application=app, fee_item=item, quantity=q, days=d, unit_price=p)
            for item, q, d, p in price.items
        )
        fees = {s.pk: f for s, f in price.space_fees}
        for space in spaces:
            booking = Booking(
                space=space,
                start=app.booked_from,
                end=app.booked_until,
                status=Booking.Status.PENDING,
                application=app,
                tenant=tenant,
                customer=customer,
                applicant=by,
                title=app.title[:100],
                attendees=app.expected_attendance,
                contact_phone=app.contact_phone,
                fee=fees[space.pk],
            )
            insert_without_overlap(
                booking,
                lock=lock,
                conflict=lambda: ValidationError(
                    {"spaces": conflict_message(spaces, app.booked_from, app.booked_until)}
                ),
            )
        record_event(
            app,
            f"venue_application.{'created' if by_desk else 'submitted'}",
            by=by,
            to_state=app.status,
            data={
                "number": app.number,
                "window": app.window_text,
                "spaces": "、".join(s.name for s in spaces),
                "fee": str(app.fee),
                "deposit": str(app.deposit),
            },
        )
        # The deadline of the first decision starts with the record (no transition enters "submitted").
        from jinyuan.workflow import deadlines

        deadlines.on_transition(app, "", app.status, now=now)
        _tell_approvers(app, Role.SECURITY if security else Role.SUPERVISOR, "submitted")
    return app


def application_add_licence(*, obj: VenueApplication, by: Any, upload: Any, label: str = "") -> Any:
    """A licence or permit of the organiser (business licence, the public-security approval of a
    large event), attached to the application while it is decided or before the use."""
    if obj.status not in VenueApplication.OPEN:
        raise TransitionRefused(_("Files are added while the application is open."))
    return attachment_add(record=obj, upload=upload, by=by, kind="licence", label=label or _("Licence"))


# --- the approvals ----------------------------------------------------------------------------------


def application_security_approve(*, obj: VenueApplication, by: Any, note: str = "") -> VenueApplication:
    with transaction.atomic():
        transition(obj, "security_approve", by=by, note=note)
        _tell_approvers(obj, Role.SUPERVISOR, "security_approved")
    return obj


def _bill_lines(app: VenueApplication) -> list[LineSpec]:
    """The bill of an approved application: each space's days at the rate held on its booking,
    each item, and the deposit."""
    days = use_days(app.use_start, app.use_end)
    start, end = timezone.localdate(app.use_start), timezone.localdate(app.use_end)
    lines = []
    for booking in app.bookings.select_related("space__fee_item").order_by("space_id"):
        if booking.fee > ZERO:
            item = booking.space.fee_item or fee_item("venue_fee")
            lines.append(
                LineSpec(
                    fee_item=item,
                    description=f"{item.name} · {booking.space.name} {app.window_text}",
                    quantity=Decimal(days),
                    unit_price=booking.fee / days,
                    period_start=start,
                    period_end=end,
                )
            )
    for row in app.items.select_related("fee_item"):
        lines.append(
            LineSpec(
                fee_item=row.fee_item,
                description=f"{row.fee_item.name} · {row.quantity} × {row.days}",
                quantity=Decimal(row.quantity * row.days),
                unit_price=row.unit_price,
                period_start=start,
                period_end=end,
            )
        )
    if app.deposit > ZERO:
        item = fee_item("event_deposit")
        lines.append(
            LineSpec(
                fee_item=item,
                description=f"{item.name} · {app.number}",
                quantity=Decimal(1),
                unit_price=app.deposit,
            )
        )
    return [line for line in lines if line.amount > ZERO]


def application_approve(
    *, obj: VenueApplication, by: Any, note: str = "", now: dt.datetime | None = None
) -> VenueApplication:
    """The supervisor's approval: the bookings confirmed, the fee and the deposit billed to the
    payer, and an event's notice issued (valid from the setup to the teardown's end)."""
    check_transition(obj, "approve", by=by, note=note)
    now = now or timezone.now()
    if obj.use_end <= now:
        raise TransitionRefused(_("The use is already over: refuse the application instead."))
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if obj.is_event:
            doc = document_issue(
                kind=NOTICE_KIND, source=obj, by=by, valid_from=obj.booked_from, valid_until=obj.booked_until
            )
            changes["document"] = doc
        transition(obj, "approve", by=by, note=note, changes=changes)
        for booking in obj.bookings.filter(status=Booking.Status.PENDING).order_by("pk"):
            transition(booking, "confirm", by=by)
        lines = _bill_lines(obj)
        if lines:
            bill = bill_create(
                payer=obj.payer,
                title=_("Venue %(number)s %(window)s") % {"number": obj.number, "window": obj.window_text},
                lines=lines,
                by=by,
                source_key=bill_key(obj),
                notify_tenant=False,
            )
            record_event(obj, "venue_application.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
        _tell_payer(
            obj,
            gettext_noop("Your application %(number)s for %(window)s is approved."),
            "approved",
        )
    return obj


def application_reject(*, obj: VenueApplication, by: Any, note: str) -> VenueApplication:
    """Refused with a reason (security's step or the supervisor's): the spaces are free at once."""
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note, changes={"refusal_reason": (note or "").strip()[:500]})
        for booking in obj.bookings.filter(status=Booking.Status.PENDING).order_by("pk"):
            transition(booking, "reject", by=by, note=note)
        _tell_payer(obj, gettext_noop("Your application %(number)s for %(window)s was refused."), "rejected")
    return obj


def application_withdraw(
    *, obj: VenueApplication, by: Any, note: str = "", now: dt.datetime | None = None
) -> VenueApplication:
    """Withdrawn before the use (by the company or the desk): the spaces are free, an unpaid
    bill is voided, a paid one is left to the desk (said on the timeline; a paid deposit is
    refunded whole), the notice revoked."""
    now = now or timezone.now()
    if obj.status == VenueApplication.Status.APPROVED and obj.use_start <= now:
        raise TransitionRefused(_("The use has begun: it is closed with the closing check instead."))
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
        for booking in obj.bookings.filter(status__in=(Booking.Status.PENDING, Booking.Status.BOOKED)).order_by("pk"):
            transition(booking, "cancel", by=by, note=note)
        bill = _bill_of(obj)
        if bill is not None:
            if bill.status == Bill.Status.OPEN and bill.paid == ZERO:
                bill_void(bill=bill, by=by, reason=_("Venue application withdrawn"))
                record_event(obj, "venue_application.bill_voided", by=by, data={"bill": bill.number})
            else:
                record_event(
                    obj, "venue_application.bill_kept", by=by, data={"bill": bill.number, "paid": str(bill.paid)}
                )
                deposit_settle_source(payer=obj.payer, source_key=bill_key(obj), deduction=ZERO, reason="", by=by)
        if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
            document_revoke(document=obj.document, by=by, reason=_("Withdrawn"))
    return obj


def _bill_of(app: VenueApplication) -> Bill | None:
    if not app.payer:
        return None
    from billing import payers

    return (
        Bill.objects.filter(**payers.owned_by(app.payer), source_key=bill_key(app))
        .exclude(status=Bill.Status.VOID)
        .first()
    )


# --- on site ------------------------------------------------------------------------------------


def _check_time(app: VenueApplication, now: dt.datetime) -> None:
    if now < app.booked_from:
        raise TransitionRefused(
            _("Checks on site are recorded from the setup's start on (%(at)s).") % {"at": _local(app.booked_from)}
        )


def _add_photos(check: SiteCheck, app: VenueApplication, photos: Iterable[Any], by: Any) -> int:
    n = 0
    for photo in photos or ():
        attachment_add(record=check, upload=photo, by=by, kind="photo", label=str(check), allowed=IMAGE_TYPES)
        n += 1
    return n


def application_check(
    *,
    obj: VenueApplication,
    by: Any,
    in_order: bool = True,
    note: str = "",
    photos: Iterable[Any] = (),
    now: dt.datetime | None = None,
) -> SiteCheck:
    """A check on site during the use (the first one marks the use under way)."""
    now = now or timezone.now()
    if obj.status == VenueApplication.Status.APPROVED:
        check_transition(obj, "start", by=by)
    elif obj.status != VenueApplication.Status.IN_PROGRESS:
        raise TransitionRefused(_("Only an approved use is checked on site."))
    else:
        check_transition(obj, "close", by=by)  # the same roles check on site
    _check_time(obj, now)
    note = (note or "").strip()
    if not in_order and not note:
        raise ValidationError({"note": _("Say what is not in order.")})
    with transaction.atomic():
        check = SiteCheck.objects.create(
            application=obj, kind=SiteCheck.Kind.DURING, by=by, at=now, in_order=in_order, note=note
        )
        photos_added = _add_photos(check, obj, photos, by)
        data = {"in_order": in_order, "photos": photos_added}
        if obj.status == VenueApplication.Status.APPROVED:
            transition(obj, "start", by=by, note=note, data=data)
        else:
            record_event(obj, "venue_application.checked", by=by, note=note, data=data)
    return check


def application_close(
    *,
    obj: VenueApplication,
    by: Any,
    damage: Decimal = ZERO,
    note: str = "",
    photos: Iterable[Any] = (),
    now: dt.datetime | None = None,
) -> VenueApplication:
    """The closing check after the use: the damage (CNY, with what) comes out of the deposit
    first, the rest of the deposit is refunded and any damage beyond it billed; the bookings
    are done. Refused while the bill with the deposit is unpaid (the deposit must be held
    before it is settled)."""
    check_transition(obj, "close", by=by)
    now = now or timezone.now()
    try:
        damage = Decimal(damage or 0)
    except (ArithmeticError, ValueError, TypeError):
        damage = Decimal(-1)
    note = (note or "").strip()
    if damage < 0:
        raise ValidationError({"damage": _("Give the damage in CNY, 0 or more.")})
    if damage > 0 and not note:
        raise ValidationError({"note": _("Say what was damaged.")})
    if now < obj.use_start:
        raise TransitionRefused(
            _("The closing check is recorded once the use has begun (%(at)s).") % {"at": _local(obj.use_start)}
        )
    bill = _bill_of(obj)
    if bill is not None and obj.deposit > ZERO and bill.status != Bill.Status.PAID:
        raise TransitionRefused(
            _("Bill %(bill)s with the deposit is not paid yet: record the payment first.") % {"bill": bill.number}
        )
    damage = damage.quantize(Decimal("0.01"))
    with transaction.atomic():
        check = SiteCheck.objects.create(
            application=obj,
            kind=SiteCheck.Kind.CLOSING,
            by=by,
            at=now,
            in_order=damage == ZERO,
            note=note,
            damage=damage,
        )
        photos_added = _add_photos(check, obj, photos, by)
        transition(
            obj,
            "close",
            by=by,
            note=note,
            changes={"damage": damage, "closed_at": now},
            data={"damage": str(damage), "photos": photos_added},
        )
        in_use = obj.bookings.filter(status__in=(Booking.Status.BOOKED, Booking.Status.CHECKED_IN))
        for booking in in_use.order_by("pk"):
            transition(booking, "complete", by=by)
        reason = _("Damage %(number)s: %(what)s") % {"number": obj.number, "what": note} if damage else ""
        entries, rest = deposit_settle_source(
            payer=obj.payer, source_key=bill_key(obj), deduction=damage, reason=reason, by=by
        )
        kept = sum((e.amount for e in entries if e.kind == "deducted"), ZERO)
        refunded = sum((e.amount for e in entries if e.kind == "refunded"), ZERO)
        if entries:
            record_event(
                obj,
                "venue_application.deposit_settled",
                by=by,
                data={"deducted": str(kept), "refunded": str(refunded)},
            )
        if rest > ZERO:
            item = fee_item("venue_damage")
            extra = bill_create(
                payer=obj.payer,
                title=_("Damage %(number)s") % {"number": obj.number},
                lines=[
                    LineSpec(
                        fee_item=item, description=f"{item.name} · {note}"[:200], quantity=Decimal(1), unit_price=rest
                    )
                ],
                by=by,
                source_key=damage_key(obj),
                notify_tenant=False,
            )
            record_event(
                obj, "venue_application.damage_billed", by=by, data={"bill": extra.number, "total": str(extra.total)}
            )
        _tell_payer(obj, gettext_noop("Your use %(number)s is closed: the deposit is settled."), "closed")
    return obj


# --- who is told -------------------------------------------------------------------------------


def _tell_approvers(app: VenueApplication, role: Role, event: str) -> None:
    notify(
        staff_with_role(role),
        message=gettext_noop("Venue application to approve: %(number)s %(title)s, %(window)s"),
        args={"number": app.number, "title": app.title, "window": app.window_text},
        url=reverse("desk:venues:application_detail", args=[app.pk]),
        dedup_key=f"venue_application-{app.pk}-{role}-{event}",
    )


def _tell_payer(app: VenueApplication, message: str, event: str) -> None:
    if not app.tenant_id:
        return  # a customer has no portal: the desk tells them
    notify_tenant(
        app,
        message=message,
        args={"number": app.number, "window": app.window_text},
        event=event,
        url=reverse("portal:venues:application_detail", args=[app.pk]),
    )
