"""Move-in, move-out and signboards: every write and state change."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.accounts.services import invite_user
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, notify, record_event, transition

from .. import signals
from ..models import (
    ArchiveKind,
    Building,
    Membership,
    MoveIn,
    MoveInUnit,
    MoveOut,
    MoveOutUnit,
    Occupancy,
    Signboard,
    Tenant,
    Unit,
)
from ..selectors import current_occupancies
from .archive import archive_upload
from .meters import handover_readings_record
from .notifications import notify_tenant
from .premises import occupancy_end, occupancy_start
from .readiness import movein_note_readiness, movein_note_readiness_of, movein_ready_done


def _overlapping(unit: Unit, start: date, end: date | None):
    q = Q(unit=unit) & (Q(end__isnull=True) | Q(end__gt=start))
    if end:
        q &= Q(start__lt=end)
    return Occupancy.objects.filter(q)


# ---------------------------------------------------------------- move-in


def movein_open(
    *, tenant: Tenant, units: Sequence[Unit], start_date: date, by: Any, lease_end: date | None = None, note: str = ""
) -> MoveIn:
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if lease_end and lease_end <= start_date:
        raise ValidationError({"lease_end": _("The lease must end after it starts.")})
    end = _occupancy_end(lease_end)
    taken = [u.number for u in units if _overlapping(u, start_date, end).exists()]
    if taken:
        raise ValidationError(
            {"units": _("Already occupied in this period: %(units)s") % {"units": "、".join(sorted(taken))}}
        )
    busy = MoveInUnit.objects.filter(unit__in=units, move_in__status=MoveIn.Status.OPEN).values_list(
        "unit__number", flat=True
    )
    if busy:
        raise ValidationError(
            {"units": _("Another move-in is open for: %(units)s") % {"units": "、".join(sorted(busy))}}
        )
    with transaction.atomic():
        move_in = MoveIn.objects.create(
            tenant=tenant, start_date=start_date, lease_end=lease_end, note=note, applicant=by, status="open"
        )
        MoveInUnit.objects.bulk_create(MoveInUnit(move_in=move_in, unit=u) for u in units)
        record_event(
            move_in,
            "movein.opened",
            by=by,
            to_state=move_in.status,
            data={"units": [u.number for u in units], "start": start_date.isoformat()},
        )
        record_event(tenant, "tenant.movein_opened", by=by, data={"move_in": move_in.pk})
        deadlines.on_transition(move_in, "", move_in.status)
    return move_in


def _occupancy_end(lease_end: date | None) -> date | None:
    """A lease's end date is its last day, as the contract writes it ("至2027年10月31日");
    an occupancy's ``end`` is the first day it no longer runs."""
    return lease_end + timedelta(days=1) if lease_end else None


def _require_open(process: MoveIn | MoveOut) -> None:
    if process.status != "open":
        raise TransitionRefused(_("This is no longer in progress."))


def movein_record_agreement(
    *,
    move_in: MoveIn,
    signed_on: date,
    signer: str,
    by: Any,
    upload: UploadedFile | None = None,
    late_fee_daily_rate: Decimal | None = None,
    late_fee_grace_days: int = 0,
) -> MoveIn:
    """The property management agreement is signed: when, by whom, and its late-fee clause
    (违约金: daily rate and grace days; no rate, no late fee), which the occupancies take on
    at confirmation."""
    _require_open(move_in)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    terms = MoveIn(late_fee_daily_rate=late_fee_daily_rate, late_fee_grace_days=late_fee_grace_days)
    terms.clean_fields(exclude=[f.name for f in MoveIn._meta.fields if not f.name.startswith("late_fee_")])
    with transaction.atomic():
        if upload is not None:
            archive_upload(tenant=move_in.tenant, kind=ArchiveKind.AGREEMENT, upload=upload, by=by)
        MoveIn.objects.filter(pk=move_in.pk).update(
            agreement_signed_on=signed_on,
            agreement_signer=signer,
            late_fee_daily_rate=late_fee_daily_rate,
            late_fee_grace_days=late_fee_grace_days,
        )
        data = {"signed_on": signed_on.isoformat(), "signer": signer}
        if late_fee_daily_rate is not None:
            data |= {"late_fee_daily_rate": str(late_fee_daily_rate), "late_fee_grace_days": late_fee_grace_days}
        record_event(move_in, "movein.agreement_signed", by=by, data=data)
        movein_note_readiness(move_in=move_in, by=by)
    move_in.refresh_from_db()
    return move_in


def movein_record_handover(*, row: MoveInUnit, keys: int, by: Any) -> MoveInUnit:
    _require_open(row.move_in)
    with transaction.atomic():
        MoveInUnit.objects.filter(pk=row.pk).update(keys_handed=keys, handed_over_by=by, handed_over_at=timezone.now())
        record_event(
            row.move_in,
            "movein.keys_handed",
            by=by,
            data={"unit": row.unit.number, "keys": keys},
        )
        movein_note_readiness(move_in=row.move_in, by=by)
    row.refresh_from_db()
    return row


def movein_record_inspection(
    *,
    row: MoveInUnit,
    water: Decimal,
    electricity: Decimal,
    condition: str,
    by: Any,
    photo: UploadedFile | None = None,
) -> MoveInUnit:
    _require_open(row.move_in)
    with transaction.atomic():
        photo_file = None
        if photo is not None:
            photo_file = archive_upload(
                tenant=row.move_in.tenant,
                kind=ArchiveKind.INSPECTION,
                upload=photo,
                by=by,
                title=_("Handover inspection %(unit)s") % {"unit": row.unit.number},
                allowed=IMAGE_TYPES,
            )
        fields = {
            "water_reading": water,
            "electricity_reading": electricity,
            "condition": condition,
            "inspected_by": by,
            "inspected_at": timezone.now(),
        }
        if photo_file:
            fields["photo"] = photo_file
        MoveInUnit.objects.filter(pk=row.pk).update(**fields)
        handover_readings_record(
            unit=row.unit,
            readings={"water": water, "electricity": electricity},
            day=timezone.localdate(),
            source="move_in",
            by=by,
        )
        record_event(
            row.move_in,
            "movein.unit_inspected",
            by=by,
            note=condition,
            data={"unit": row.unit.number, "water": str(water), "electricity": str(electricity)},
        )
        movein_note_readiness(move_in=row.move_in, by=by)
    row.refresh_from_db()
    return row


def movein_skip_signboard(*, move_in: MoveIn, by: Any) -> MoveIn:
    _require_open(move_in)
    with transaction.atomic():
        MoveIn.objects.filter(pk=move_in.pk).update(signboard_not_needed=True)
        record_event(move_in, "movein.signboard_waived", by=by)
        movein_note_readiness(move_in=move_in, by=by)
    move_in.refresh_from_db()
    return move_in


def movein_confirm(*, obj: MoveIn, by: Any, note: str = "") -> MoveIn:
    """Every required item is done: occupancies start and the tenant gets its portal login."""
    with transaction.atomic():
        transition(obj, "confirm", by=by, note=note)
        movein_ready_done(obj)
        for row in obj.units.select_related("unit"):
            occupancy_start(
                tenant=obj.tenant,
                unit=row.unit,
                start=obj.start_date,
                end=_occupancy_end(obj.lease_end),
                by=by,
                late_fee_daily_rate=obj.late_fee_daily_rate,
                late_fee_grace_days=obj.late_fee_grace_days,
            )
        invited = _ensure_portal_admin(obj.tenant, by)
        if invited:
            record_event(obj, "movein.portal_invited", by=by, data={"user": invited.username})
        signals.move_in_confirmed.send(sender=MoveIn, move_in=obj, by=by)
        notify_tenant(
            obj,
            message=gettext_noop("Welcome to Jinyuan CBD: your move-in is confirmed"),
            event="confirmed",
            url=reverse("portal:home"),
        )
    return obj


def movein_cancel(*, obj: MoveIn, by: Any, note: str) -> MoveIn:
    with transaction.atomic():
        transition(obj, "cancel", by=by, note=note)
        movein_ready_done(obj)
    return obj


def _ensure_portal_admin(tenant: Tenant, by: Any):
    """The tenant's admin portal user: made from the primary contact and invited by e-mail."""
    if Membership.objects.filter(tenant=tenant, role=Membership.Role.ADMIN).exists():
        Membership.objects.filter(tenant=tenant).update(is_active=True)
        return None
    contact = tenant.contacts.order_by("-is_primary", "id").first()
    email = (contact.email if contact else "") or tenant.email
    if not email:
        raise TransitionRefused(_("The tenant has no contact e-mail for the portal invitation; add one first."))
    User = get_user_model()
    username = email.lower()
    if User.objects.filter(username=username).exists():
        username = f"{username}.{tenant.pk}"
    user = User.objects.create_user(
        username=username, email=email, display_name=contact.name if contact else tenant.name
    )
    Membership.objects.create(user=user, tenant=tenant, role=Membership.Role.ADMIN)
    record_event(tenant, "tenant.member_added", by=by, data={"user": user.username, "role": "admin"})
    invite_user(user=user, by=by)
    return user


# ---------------------------------------------------------------- move-out


def moveout_open(
    *, tenant: Tenant, planned_date: date, by: Any, reason: str = "", units: Sequence[Unit] | None = None
) -> MoveOut:
    if MoveOut.objects.filter(tenant=tenant, status=MoveOut.Status.OPEN).exists():
        raise ValidationError({"planned_date": _("A move-out is already in progress for this tenant.")})
    occupancies = list(current_occupancies(tenant))
    if units is not None:
        wanted = {u.pk for u in units}
        occupancies = [o for o in occupancies if o.unit_id in wanted]
    if not occupancies:
        raise ValidationError({"planned_date": _("The tenant occupies no unit to move out of.")})
    too_early = [o for o in occupancies if planned_date <= o.start]
    if too_early:
        raise ValidationError(
            {
                "planned_date": _("The move-out date must be after the move-in date (%(date)s).")
                % {"date": max(o.start for o in too_early).isoformat()}
            }
        )
    with transaction.atomic():
        move_out = MoveOut.objects.create(
            tenant=tenant, planned_date=planned_date, reason=reason, applicant=by, status="open"
        )
        MoveOutUnit.objects.bulk_create(MoveOutUnit(move_out=move_out, unit=o.unit, occupancy=o) for o in occupancies)
        record_event(
            move_out,
            "moveout.opened",
            by=by,
            to_state=move_out.status,
            note=reason,
            data={"units": [o.unit.number for o in occupancies], "planned": planned_date.isoformat()},
        )
        record_event(tenant, "tenant.moveout_opened", by=by, data={"move_out": move_out.pk})
        deadlines.on_transition(move_out, "", move_out.status)
        notify(
            staff_with_role(Role.FRONT_DESK),
            message=gettext_noop("Move-out requested: %(company)s on %(date)s"),
            args={"company": tenant.name, "date": planned_date.isoformat()},
            url=reverse("desk:tenants:moveout_detail", args=[move_out.pk]),
            dedup_key=f"moveout-{move_out.pk}-opened",
        )
    return move_out


def moveout_record_return(*, row: MoveOutUnit, keys: int, by: Any) -> MoveOutUnit:
    _require_open(row.move_out)
    with transaction.atomic():
        MoveOutUnit.objects.filter(pk=row.pk).update(keys_returned=keys, returned_to=by, returned_at=timezone.now())
        record_event(row.move_out, "moveout.keys_returned", by=by, data={"unit": row.unit.number, "keys": keys})
    row.refresh_from_db()
    return row


def moveout_record_inspection(
    *,
    row: MoveOutUnit,
    water: Decimal,
    electricity: Decimal,
    damage: str,
    damage_charge: Decimal,
    by: Any,
) -> MoveOutUnit:
    """Recorded once: a damage charge becomes a bill, which a second entry must not duplicate."""
    _require_open(row.move_out)
    if damage_charge and damage_charge > 0 and not damage.strip():
        raise ValidationError({"damage": _("Describe the damage that is charged.")})
    with transaction.atomic():
        changed = MoveOutUnit.objects.filter(pk=row.pk, inspected_at__isnull=True).update(
            water_reading=water,
            electricity_reading=electricity,
            damage=damage,
            damage_charge=damage_charge or 0,
            inspected_by=by,
            inspected_at=timezone.now(),
        )
        if not changed:
            raise TransitionRefused(_("This unit has already been inspected."))
        row.refresh_from_db()
        handover_readings_record(
            unit=row.unit,
            readings={"water": water, "electricity": electricity},
            day=timezone.localdate(),
            source="move_out",
            by=by,
        )
        record_event(
            row.move_out,
            "moveout.unit_inspected",
            by=by,
            note=damage,
            data={
                "unit": row.unit.number,
                "water": str(water),
                "electricity": str(electricity),
                "damage_charge": str(row.damage_charge),
            },
        )
        # What the receivers billed (billing returns its Bill), for the clerk's message.
        row.bills = []
        if row.damage_charge > 0:
            responses = signals.move_out_damage_recorded.send(sender=MoveOutUnit, row=row, by=by)
            row.bills = [bill for _receiver, bill in responses if bill is not None]
    return row


def moveout_complete(*, obj: MoveOut, by: Any, note: str = "") -> MoveOut:
    with transaction.atomic():
        transition(obj, "complete", by=by, note=note)
        for row in obj.units.select_related("occupancy__unit", "occupancy__tenant"):
            if row.occupancy.end is None or row.occupancy.end > obj.planned_date:
                occupancy_end(occupancy=row.occupancy, end=obj.planned_date, by=by)
        # Portal access stays while any unit remains; with none left it closes on the move-out
        # date: now if that has come, else by the daily task (tenants.tasks).
        if obj.planned_date <= timezone.localdate():
            _close_portal_if_no_unit(obj.tenant, on=timezone.localdate(), by=by)
        signals.move_out_completed.send(sender=MoveOut, move_out=obj, by=by)
    return obj


def _close_portal_if_no_unit(tenant: Tenant, *, on: date, by: Any = None, data: dict | None = None) -> bool:
    """No unit held on ``on`` or later: the company's portal users lose access; the archive
    keeps everything. True when access was closed now (idempotent: False the second time)."""
    if Occupancy.objects.filter(tenant=tenant).filter(Q(end__isnull=True) | Q(end__gt=on)).exists():
        return False
    if not Membership.objects.filter(tenant=tenant, is_active=True).update(is_active=False):
        return False
    record_event(tenant, "tenant.portal_closed", by=by, data=data)
    return True


def portal_access_close_due(now: Any = None) -> int:
    """Close portal access of companies whose completed move-out date has come and which hold
    no unit any more (run daily by Celery beat; safe to run any number of times)."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    due = (
        MoveOut.objects.filter(status=MoveOut.Status.COMPLETED, planned_date__lte=today)
        .filter(tenant__members__is_active=True)
        .select_related("tenant")
        .order_by("tenant_id", "-planned_date")
        .distinct("tenant_id")
    )
    closed = 0
    for move_out in due:
        with transaction.atomic():
            closed += _close_portal_if_no_unit(move_out.tenant, on=today, data={"move_out": move_out.pk})
    return closed


# ---------------------------------------------------------------- signboards


def signboard_order(
    *,
    tenant: Tenant,
    building: Building,
    text: str,
    by: Any,
    position: str = Signboard.Position.LOBBY,
    floor_number: int | None = None,
    text_en: str = "",
    replaces: Signboard | None = None,
) -> Signboard:
    if position == Signboard.Position.FLOOR and floor_number is None:
        raise ValidationError({"floor_number": _("Give the floor of the directory.")})
    if replaces is not None and replaces.tenant_id != tenant.pk:
        raise ValidationError({"replaces": _("That signboard belongs to another tenant.")})
    with transaction.atomic():
        board = Signboard(
            tenant=tenant,
            building=building,
            text=text.strip(),
            text_en=text_en.strip(),
            position=position,
            floor_number=floor_number if position == Signboard.Position.FLOOR else None,
            replaces=replaces,
            applicant=by,
            status=Signboard.Status.ORDERED,
        )
        board.full_clean()
        board.save()
        record_event(board, "signboard.ordered", by=by, to_state=board.status, data={"text": board.text})
        record_event(tenant, "tenant.signboard_ordered", by=by, data={"signboard": board.pk, "text": board.text})
        movein_note_readiness_of(tenant=tenant, by=by)
    return board


def signboard_approve(*, obj: Signboard, by: Any, note: str = "") -> Signboard:
    with transaction.atomic():
        transition(obj, "approve", by=by, note=note)
        signals.signboard_approved.send(sender=Signboard, signboard=obj, by=by)
    return obj


def signboard_install(*, obj: Signboard, by: Any, note: str = "") -> Signboard:
    """Installed: the board it replaces comes down at the same time."""
    with transaction.atomic():
        transition(obj, "install", by=by, note=note, changes={"installed_on": timezone.localdate()})
        if obj.replaces_id:
            old = Signboard.objects.get(pk=obj.replaces_id)
            if old.status == Signboard.Status.INSTALLED:
                transition(old, "remove", by=by, note=_("Replaced by %(text)s") % {"text": obj.text})
    return obj
