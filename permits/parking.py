"""Parking permits 停车证: every write and state change.

Money goes through billing: a monthly permit's rent is billed in advance at approval (the
months from ``start`` to ``end``) and at each renewal (the months added), one bill each
(``source_key`` ``parkingpermit:<pk>:issue`` / ``...:renewal:<n>``); the fee item depends on
the space (pool or fixed); internal and free permits bill nothing. The permit paper is a
kernel document (kind ``parking_permit``) valid from the first day to the end; a renewal
prints a new one to the new end (the old paper keeps its own dates and runs out by itself).

Deadlines are declared on the model: the renewal reminders (15, 7 and 1 days before the end)
and the expiry at the end are steps of ``renewal``; the written reminder two weeks after a bill
is issued, when it is still unpaid, is the step of ``payment``. The scan claims each step once
and queues the step's action (``expire_due``, ``payment_notice_due``), which does nothing a
second time.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import ZERO, Bill, FeeItem
from billing.services import LineSpec, bill_create
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.services import attachment_add
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.ranges import overlap_as
from jinyuan.uploads import DOCUMENT_TYPES
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Tenant
from tenants.selectors import current_occupancies
from tenants.services import notify_tenant

from .models import ParkingPermit, ParkingSpace, normalize_plate
from .models.parking import UNPAID_NOTICE_AFTER

LICENCE = "vehicle_licence"
# The fee item of each billed rental type: (pool space, fixed space).
FEE_ITEMS = {ParkingPermit.RentalType.MONTHLY: ("parking_monthly", "parking_monthly_fixed")}
UNPAID = (Bill.Status.OPEN, Bill.Status.PARTLY_PAID)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter: 31 Jan + 1 = 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def bill_prefix(permit: ParkingPermit) -> str:
    """Every bill of the permit has a source key starting with this."""
    return f"parkingpermit:{permit.pk}:"


def permit_end(*, rental_type: str, start: dt.date, months: int | None, until: dt.date | None) -> dt.date:
    """The exclusive end: whole months for a monthly permit, the last day given for the others."""
    errors: dict[str, str] = {}
    end = None
    if rental_type == ParkingPermit.RentalType.MONTHLY:
        if not months:
            errors["months"] = _("How many months? A monthly permit runs for whole months.")
        elif not 1 <= months <= ParkingPermit.MAX_MONTHS:
            errors["months"] = _("From 1 to %(max)d months at a time.") % {"max": ParkingPermit.MAX_MONTHS}
        else:
            end = add_months(start, months)
    elif until is None:
        errors["until"] = _("Give the permit's last day.")
    elif until < start:
        errors["until"] = _("The last day cannot be before the first.")
    elif until >= add_months(start, ParkingPermit.MAX_MONTHS):
        errors["until"] = _("At most %(max)d months at a time.") % {"max": ParkingPermit.MAX_MONTHS}
    else:
        end = until + dt.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return end


def live_permit_of(plate: str) -> ParkingPermit | None:
    return (
        ParkingPermit.objects.filter(plate=plate, status__in=ParkingPermit.LIVE)
        .select_related("tenant", "document")
        .first()
    )


def live_message(live: ParkingPermit) -> str:
    """The message beside the plate: names the live permit, so the clerk can find it."""
    number = (
        live.document.number
        if live.document_id
        else _("application of %(day)s") % {"day": f"{timezone.localtime(live.created_at):%Y-%m-%d}"}
    )
    return _("This plate already has a live parking permit: %(number)s (%(company)s, %(status)s).") % {
        "number": number,
        "company": live.tenant.name,
        "status": live.get_status_display(),
    }


def _space_taken() -> ValidationError:
    return ValidationError({"space": _("This fixed space is let to another permit for these dates.")})


def parking_apply(
    *,
    tenant: Tenant,
    by: Any,
    plate: str,
    brand: str,
    vehicle_model: str,
    colour: str,
    driver_name: str,
    driver_phone: str,
    licence: UploadedFile | None,
    rental_type: str,
    start: dt.date,
    space: ParkingSpace | None = None,
    months: int | None = None,
    until: dt.date | None = None,
) -> ParkingPermit:
    """An application by the tenant (portal) or the desk, waiting for the desk's approval.

    It holds its plate and its fixed space at once (both live states count): of twenty
    applications for one space and overlapping dates, one is saved; the others get the message
    beside the space. Nothing is saved when anything is wrong."""
    plate = normalize_plate(plate)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not current_occupancies(tenant).exists():
        raise TransitionRefused(_("Parking permits are for companies occupying a unit of the building."))
    if start is None:
        errors.setdefault("start", []).append(_("Give the first day."))
    elif start < today:
        errors.setdefault("start", []).append(_("The first day cannot be in the past."))
    end = None
    if start is not None:
        try:
            end = permit_end(rental_type=rental_type, start=start, months=months, until=until)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if space is not None and not (space.is_active and space.is_fixed):
        errors.setdefault("space", []).append(_("Choose a fixed space in use, or leave the space unassigned."))
    if licence is None:
        errors.setdefault("licence", []).append(_("Upload the vehicle licence (行驶证), photo or PDF."))
    permit = ParkingPermit(
        tenant=tenant,
        applicant=by,
        plate=plate,
        brand=(brand or "").strip(),
        vehicle_model=(vehicle_model or "").strip(),
        colour=(colour or "").strip(),
        driver_name=(driver_name or "").strip(),
        driver_phone=(driver_phone or "").strip(),
        space=space,
        rental_type=rental_type,
        start=start,
        end=end,
        status=ParkingPermit.Status.SUBMITTED,
    )
    try:
        permit.full_clean(
            exclude=["status", "tenant", "applicant", "space", "start", "end"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "plate" not in errors and (live := live_permit_of(plate)) is not None:
        errors.setdefault("plate", []).append(live_message(live))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            with overlap_as(ParkingPermit, _space_taken):
                if space is not None:
                    # Applicants for one space queue here: the later one sees the earlier row
                    # and gets the message, rather than a deadlock in the exclusion index.
                    ParkingSpace.objects.select_for_update().filter(pk=space.pk).exists()
                    if _overlapping(space, start, end).exists():
                        raise _space_taken()
                permit.save()
            try:
                attachment_add(record=permit, upload=licence, by=by, kind=LICENCE, label=plate, allowed=DOCUMENT_TYPES)
            except ValidationError as exc:
                raise ValidationError({"licence": exc.message_dict.get("file", exc.messages)}) from exc
            record_event(
                permit,
                "parking_permit.submitted",
                by=by,
                to_state=permit.status,
                data={"plate": plate, "space": str(space or ""), "until": (end - dt.timedelta(days=1)).isoformat()},
            )
            notify(
                staff_with_role(Role.FRONT_DESK),
                message=gettext_noop("New parking permit application from %(company)s: %(plate)s"),
                args={"company": tenant.name, "plate": plate},
                url=reverse("desk:permits:parking_detail", args=[permit.pk]),
                dedup_key=f"parking_permit-{permit.pk}-submitted",
            )
    except IntegrityError as exc:
        live = live_permit_of(plate)
        if live is None:
            raise
        raise ValidationError({"plate": [live_message(live)]}) from exc
    return permit


def _overlapping(space: ParkingSpace, start: dt.date, end: dt.date, exclude: int | None = None):
    qs = ParkingPermit.objects.filter(space=space, status__in=ParkingPermit.LIVE, start__lt=end, end__gt=start)
    return qs.exclude(pk=exclude) if exclude else qs


def _fee_item(permit: ParkingPermit) -> FeeItem | None:
    codes = FEE_ITEMS.get(permit.rental_type)
    if not codes:
        return None
    code = codes[1] if permit.space_id else codes[0]
    item = FeeItem.objects.filter(code=code, is_active=True).first()
    return item if item is not None and item.price > ZERO else None


def _bill_months(
    permit: ParkingPermit, *, item: FeeItem, start: dt.date, end: dt.date, key: str, title: str, by: Any
) -> Bill:
    months = _months_between(start, end)
    last = end - dt.timedelta(days=1)
    line = LineSpec(
        fee_item=item,
        description=f"{item.name} {permit.plate} {start:%Y-%m-%d}–{last:%Y-%m-%d}",
        quantity=Decimal(months),
        unit_price=permit.monthly_fee or item.price,
        period_start=start,
        period_end=last,
    )
    # Billed in advance: due by the first day of the period it pays for (or the usual term).
    bill = bill_create(tenant=permit.tenant, title=title, lines=[line], by=by, source_key=key)
    deadlines.deadline_start(permit, "payment", due_at=timezone.now() + UNPAID_NOTICE_AFTER)
    return bill


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months, 1)


def _issue_paper(permit: ParkingPermit, by: Any) -> Document:
    return document_issue(
        kind="parking_permit", source=permit, by=by, valid_from=permit.starts_at, valid_until=permit.ends_at
    )


def parking_approve(*, obj: ParkingPermit, by: Any, note: str = "") -> ParkingPermit:
    """Approve, bill the months in advance (monthly) and print the numbered permit, in one
    transaction: a lost race rolls the number and the bill back."""
    today = timezone.localdate()
    if obj.end <= today:
        raise TransitionRefused(_("The permit's dates are over; refuse it and apply again."))
    with transaction.atomic():
        check_transition(obj, "approve", by=by, note=note)
        item = _fee_item(obj)
        obj.monthly_fee = item.price if item else ZERO
        doc = _issue_paper(obj, by)
        transition(
            obj,
            "approve",
            by=by,
            note=note,
            changes={"document": doc, "monthly_fee": obj.monthly_fee},
            data={"number": doc.number, "until": obj.last_day.isoformat()},
        )
        bill = None
        if item is not None:
            bill = _bill_months(
                obj,
                item=item,
                start=obj.start,
                end=obj.end,
                key=f"{bill_prefix(obj)}issue",
                title=_("Parking permit %(plate)s") % {"plate": obj.plate},
                by=by,
            )
            record_event(obj, "parking_permit.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
        _tell(
            obj,
            gettext_noop("Your parking permit %(number)s for %(plate)s is issued, valid until %(until)s."),
            {"number": doc.number, "plate": obj.plate, "until": obj.last_day.isoformat()},
            "approved",
        )
    return obj


def parking_refuse(*, obj: ParkingPermit, by: Any, note: str) -> ParkingPermit:
    with transaction.atomic():
        transition(obj, "refuse", by=by, note=note, changes={"decided_note": note[:200]})
        _tell(
            obj,
            gettext_noop("Your parking permit application for %(plate)s was refused: %(reason)s"),
            {"plate": obj.plate, "reason": note},
            "refused",
        )
    return obj


def parking_withdraw(*, obj: ParkingPermit, by: Any, note: str = "") -> ParkingPermit:
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
    return obj


def _tell(permit: ParkingPermit, message: str, args: dict, event: str) -> None:
    """The company's admins (and the applicant) are told, once per permit and ``event``, with
    a link to the permit in the portal."""
    url = reverse("portal:permits:parking_detail", args=[permit.pk])
    notify_tenant(permit, message=message, args=args, event=event, url=url)


def _revoke_papers(permit: ParkingPermit, *, by: Any, reason: str) -> None:
    """Every paper of the permit still good at the gate (the renewed one and older ones)."""
    papers = Document.objects.filter(
        kind="parking_permit",
        object_id=permit.pk,
        status__in=(Document.Status.VALID, Document.Status.SUSPENDED),
    ).order_by("pk")
    for paper in papers:
        document_revoke(document=paper, by=by, reason=reason)


def parking_revoke(*, obj: ParkingPermit, by: Any, note: str) -> ParkingPermit:
    """Revoked (move-out, misuse): the plate is no longer let in, every paper is revoked."""
    with transaction.atomic():
        transition(obj, "revoke", by=by, note=note, changes={"decided_note": note[:200]})
        _revoke_papers(obj, by=by, reason=note)
        _tell(
            obj,
            gettext_noop("Your parking permit for %(plate)s was revoked: %(reason)s"),
            {"plate": obj.plate, "reason": note},
            "revoked",
        )
    return obj


def parking_renew(*, obj: ParkingPermit, by: Any, months: int, expected_end: dt.date | None = None) -> ParkingPermit:
    """Extend an issued permit by ``months`` from its end, billed in advance (monthly), with a
    new paper to the new end and its reminders started again.

    Compare-and-swap on the end the user saw (``expected_end``): of twenty renewals sent at
    once (a double click, the desk and the tenant together) one extends the permit; the others
    are told it was just renewed and bill nothing. A fixed space already let from the old end
    refuses the renewal beside the months (the exclusion constraint)."""
    if not isinstance(months, int) or not 1 <= months <= ParkingPermit.MAX_MONTHS:
        raise ValidationError({"months": _("From 1 to %(max)d months at a time.") % {"max": ParkingPermit.MAX_MONTHS}})
    expected_end = expected_end or obj.end
    if obj.status != ParkingPermit.Status.ISSUED:
        raise TransitionRefused(_("Only an issued permit can be renewed; apply for a new one."))
    if not _may_renew(obj, by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    new_end = add_months(expected_end, months)
    with transaction.atomic():
        if obj.space_id:
            ParkingSpace.objects.select_for_update().filter(pk=obj.space_id).exists()
            if _overlapping(obj.space, expected_end, new_end, exclude=obj.pk).exists():
                raise ValidationError(
                    {
                        "months": _("The fixed space is let to another permit from %(day)s.")
                        % {"day": expected_end.isoformat()}
                    }
                )
        with overlap_as(
            ParkingPermit,
            lambda: ValidationError({"months": _("The fixed space is let to another permit for these dates.")}),
        ):
            changed = ParkingPermit.objects.filter(
                pk=obj.pk, status=ParkingPermit.Status.ISSUED, end=expected_end
            ).update(end=new_end, renewals=F("renewals") + 1, updated_at=timezone.now())
        if not changed:
            raise TransitionRefused(_("This permit was just renewed or changed by someone else. Reload and check."))
        obj.refresh_from_db()
        item = _fee_item(obj)
        bill = None
        if item is not None:
            # The months added are billed at today's price list (a price change applies from
            # the next renewal, never to months already billed).
            if obj.monthly_fee != item.price:
                obj.monthly_fee = item.price
                ParkingPermit.objects.filter(pk=obj.pk).update(monthly_fee=item.price)
            bill = _bill_months(
                obj,
                item=item,
                start=expected_end,
                end=new_end,
                key=f"{bill_prefix(obj)}renewal:{obj.renewals}",
                title=_("Parking permit %(plate)s renewed") % {"plate": obj.plate},
                by=by,
            )
        old_paper = obj.document
        doc = _issue_paper(obj, by)
        ParkingPermit.objects.filter(pk=obj.pk).update(document=doc)
        obj.document = doc
        if old_paper is not None and old_paper.status == old_paper.Status.VALID:
            # One paper per permit: the old one, still inside its window, would otherwise let a
            # second car in until the old end. A guard scanning it reads "revoked: replaced".
            from jinyuan.documents.services import document_revoke

            document_revoke(
                document=old_paper, by=by, reason=_("Replaced by the renewed paper %(number)s") % {"number": doc.number}
            )
        deadlines.deadline_start(obj, "renewal")
        record_event(
            obj,
            "parking_permit.renewed",
            by=by,
            data={
                "months": months,
                "until": obj.last_day.isoformat(),
                "number": doc.number,
                "bill": bill.number if bill else "",
            },
        )
        _tell(
            obj,
            gettext_noop("Parking permit %(plate)s renewed until %(until)s."),
            {"plate": obj.plate, "until": obj.last_day.isoformat()},
            f"renewed-{obj.renewals}",
        )
    return obj


def _may_renew(permit: ParkingPermit, user: Any) -> bool:
    """The desk, or the company's members who may open its parking permits."""
    if user is None or not user.is_authenticated:
        return False
    from jinyuan.accounts.roles import DESK_ROLES

    if user.has_role(*DESK_ROLES):
        return True
    from tenants import grants

    from .parking_hooks import PARKING_AREA

    return grants.member_may_open(user, permit.tenant_id, PARKING_AREA)


def parking_expire(*, obj: ParkingPermit, by: Any = None, now: dt.datetime | None = None) -> bool:
    """At its end a permit not renewed expires (the scan's step). Nothing when it was renewed,
    revoked or expired meanwhile: a second run changes nothing."""
    today = timezone.localdate(now or timezone.now())
    if obj.status != ParkingPermit.Status.ISSUED or obj.end > today:
        return False
    with transaction.atomic():
        transition(obj, "expire", by=by, data={"until": obj.last_day.isoformat()})
        _tell(
            obj,
            gettext_noop("Parking permit %(plate)s expired on %(day)s: apply again to park."),
            {"plate": obj.plate, "day": obj.end.isoformat()},
            f"expired-{obj.end:%Y%m%d}",
        )
    return True


# --- the deadline steps' actions (jinyuan.workflow.deadlines.register_step_action) ---------------


def expire_due(model: type[models.Model], pks: Sequence[int], now: dt.datetime) -> int:
    """The step at the end of ``renewal``: each permit still issued and past its end expires."""
    expired = 0
    for permit in ParkingPermit.objects.filter(pk__in=pks).select_related("tenant").order_by("pk"):
        try:
            expired += parking_expire(obj=permit, now=now)
        except TransitionRefused:
            continue  # changed meanwhile (renewed, revoked): nothing to do
    return expired


def unpaid_bills(permit: ParkingPermit, *, issued_by: dt.date | None = None):
    qs = Bill.objects.filter(
        tenant_id=permit.tenant_id, source_key__startswith=bill_prefix(permit), status__in=UNPAID
    ).order_by("issued_on", "pk")
    return qs.filter(issued_on__lte=issued_by) if issued_by else qs


def notices_of(permit: ParkingPermit):
    return Document.objects.filter(kind="parking_notice", object_id=permit.pk).order_by("-issued_at", "-id")


def parking_payment_notice(*, obj: ParkingPermit, by: Any = None, now: dt.datetime | None = None) -> Document | None:
    """A written reminder (催缴通知书, numbered PDF) for the permit's bills still unpaid two
    weeks after issue and not in an earlier notice; None when there is none to write."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - UNPAID_NOTICE_AFTER
    with transaction.atomic():
        # The permit's row lock: two runs of the task at once write one notice.
        ParkingPermit.objects.select_for_update().filter(pk=obj.pk).exists()
        noticed = {n for doc in notices_of(obj) for n in doc.data.get("bill_numbers", [])}
        bills = [b for b in unpaid_bills(obj, issued_by=cutoff) if b.number not in noticed]
        if not bills:
            return None
        obj.notice_bills = bills
        # The scan has no user: the notice is issued in the name of the clerk who issued the permit.
        issuer = by or (obj.document.issued_by if obj.document_id else obj.applicant)
        doc = document_issue(kind="parking_notice", source=obj, by=issuer)
        record_event(
            obj,
            "parking_permit.payment_notice",
            by=by,
            data={"number": doc.number, "bills": ", ".join(b.number for b in bills)},
        )
        _tell(
            obj,
            gettext_noop("Written payment reminder %(number)s: parking for %(plate)s is unpaid."),
            {"number": doc.number, "plate": obj.plate},
            f"notice-{doc.number}",
        )
        notify(
            staff_with_role(Role.FRONT_DESK),
            message=gettext_noop("Written payment reminder %(number)s to print for %(company)s (%(plate)s)"),
            args={"number": doc.number, "company": obj.tenant.name, "plate": obj.plate},
            url=reverse("desk:permits:parking_detail", args=[obj.pk]),
            dedup_key=f"parking_notice-{doc.pk}",
        )
    return doc


def payment_notice_due(model: type[models.Model], pks: Sequence[int], now: dt.datetime) -> int:
    written = 0
    for permit in ParkingPermit.objects.filter(pk__in=pks).select_related("tenant").order_by("pk"):
        written += parking_payment_notice(obj=permit, now=now) is not None
    return written


# --- move-out: every permit of the leaving tenant revoked -----------------------------------------


def revoke_permits_of(tenant: Tenant, *, by: Any, reason: str) -> int:
    """Every live permit (and application) of the company, revoked in one transaction."""
    with transaction.atomic():
        permits = list(
            ParkingPermit.objects.select_for_update(of=("self",))
            .filter(tenant=tenant, status__in=ParkingPermit.LIVE)
            .select_related("tenant")
            .order_by("pk")
        )
        for permit in permits:
            parking_revoke(obj=permit, by=by, note=reason)
    return len(permits)
