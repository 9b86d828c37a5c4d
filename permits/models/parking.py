"""停车证: parking spaces and parking permits."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.documents.models import Document
from jinyuan.phones import validate_phone
from jinyuan.ranges import DateSpan, no_overlap
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK
from tenants.models import TenantOwned

from .certificate import tenant_admin_of

# --- plates 车牌 -----------------------------------------------------------------------------------

# The one-character abbreviations of the 31 provincial-level divisions of the mainland (GA 36).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# I and O are never used on plates (they read as 1 and 0).
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_CHAR = f"[{PLATE_LETTERS}0-9]"
# 7 characters: province, issuing office's letter, five letters or digits (the last may be
# 挂 trailer, 学 driving school, 警 police, 港/澳 cross-border).
REGULAR = re.compile(rf"^[{PROVINCES}][{PLATE_LETTERS}]{_CHAR}{{4}}[{PLATE_LETTERS}0-9挂学警港澳]$")
# New-energy (green plates, 8 characters): D electric / F other, first for a small car
# (桂AD12345, 桂AF1A234 also allowed: the 4th character may be a letter), last for a large one.
NEW_ENERGY_SMALL = re.compile(rf"^[{PROVINCES}][{PLATE_LETTERS}][DF]{_CHAR}[0-9]{{4}}$")
NEW_ENERGY_LARGE = re.compile(rf"^[{PROVINCES}][{PLATE_LETTERS}][0-9]{{5}}[DF]$")
SEPARATORS = re.compile(r"[\s·•.\-_]")


def normalize_plate(value: str) -> str:
    """Upper case, full-width letters folded, no spaces or separators: ``桂a·12345`` -> ``桂A12345``."""
    text = unicodedata.normalize("NFKC", value or "")
    return SEPARATORS.sub("", text).upper()


def validate_plate(value: str) -> None:
    """A mainland plate, with a message that says what is wrong (the first problem found)."""
    plate = normalize_plate(value)
    if not plate:
        raise ValidationError(_("Enter the plate number."), code="required")
    if plate[0] not in PROVINCES:
        raise ValidationError(_("A plate starts with the province's character, e.g. 桂 for Guangxi."), code="province")
    if len(plate) not in (7, 8):
        raise ValidationError(
            _("A plate has 7 characters, or 8 for a new-energy vehicle (with D or F)."), code="length"
        )
    if len(plate) > 1 and plate[1] not in PLATE_LETTERS:
        raise ValidationError(_("The second character is the letter of the issuing office, e.g. A."), code="office")
    if "I" in plate or "O" in plate:
        raise ValidationError(_("Plates never use the letters I and O: it is 1 or 0."), code="letters")
    if len(plate) == 8:
        if not (NEW_ENERGY_SMALL.match(plate) or NEW_ENERGY_LARGE.match(plate)):
            raise ValidationError(
                _(
                    "A new-energy plate has D or F as third character (small car, e.g. 桂AD12345) "
                    "or as last character after five digits (large vehicle, e.g. 桂A12345D)."
                ),
                code="new_energy",
            )
        return
    if not REGULAR.match(plate):
        raise ValidationError(
            _("After the province and the office letter come five letters or digits, e.g. 桂A12345."), code="format"
        )


def is_new_energy(plate: str) -> bool:
    return len(plate) == 8


# --- parking spaces 车位 ------------------------------------------------------------------------


class ParkingSpace(models.Model):
    """A numbered space of the car park, kept by supervisors in the admin. Fixed spaces are
    let to one permit at a time; the others are the pool an unassigned permit parks in."""

    number = models.CharField(_("space number"), max_length=20, unique=True)
    zone = models.CharField(_("zone or level"), max_length=30, help_text=_("e.g. B1 or B2 east"))
    is_fixed = models.BooleanField(_("fixed space"), default=True, help_text=_("Let to one permit at a time."))
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")
        ordering = ["zone", "number"]

    def __str__(self) -> str:
        # "B1-018" already says its level; "18" needs it: "B1 18".
        return self.number if self.number.startswith(self.zone) else f"{self.zone} {self.number}"


# --- parking permits 停车证 ----------------------------------------------------------------------


def renewal_due(permit: "ParkingPermit", now: dt.datetime) -> dt.datetime:
    """The permit stops at 00:00 of its end day (``end`` is exclusive)."""
    return permit.ends_at


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Actions of deadline steps, registered in PermitsConfig.ready (jinyuan.workflow.deadlines).
EXPIRE_ACTION = "parking_permit.expire"
PAYMENT_NOTICE_ACTION = "parking_permit.payment_notice"
# A bill of the permit still unpaid this long after it was issued gets a written reminder.
UNPAID_NOTICE_AFTER = days(14)


def system_or_desk(instance, user) -> bool:
    """The scan (no user) expires a permit at its end; the desk may too."""
    return user is None or DESK(instance, user)


class ParkingPermit(DeadlineLinks, TenantOwned, DateSpan, Application):
    """停车证: one vehicle of a tenant parking in the building's car park from ``start`` to
    ``end`` (exclusive: the permit's last day is ``end - 1``).

    Live (applied for or issued) permits hold their plate (a partial unique index: one live
    permit per plate) and their fixed space (an exclusion constraint on the validity range: one
    live permit per fixed space at a time). Renewal moves ``end`` (compare-and-swap on the end
    the clerk saw), restarts the renewal reminders and re-checks the space's range.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class RentalType(models.TextChoices):
        MONTHLY = "monthly", _("Monthly rental")
        INTERNAL = "internal", _("Internal (no charge)")
        FREE = "free", _("Free of charge")

    LIVE = (Status.SUBMITTED, Status.ISSUED)
    # What a tenant may ask for at most in one go (renewals too).
    MAX_MONTHS = 12

    audit_prefix = "parking_permit"
    event_labels = {
        "submitted": _("Parking permit applied for"),
        "renewed": _("Parking permit renewed"),
        "payment_notice": _("Written payment reminder issued"),
    }

    deadlines = (
        # Reminded 15, 7 and 1 days before the end; at the end the scan expires it.
        DeadlineSpec(
            kind="renewal",
            states=("issued",),
            allowed=renewal_due,
            steps=(
                Step(offset=-days(15), to=("tenant_admins", "applicant")),
                Step(offset=-days(7), to=("tenant_admins", "applicant", f"role:{Role.FRONT_DESK}")),
                Step(offset=-days(1), to=("tenant_admins", "applicant", f"role:{Role.FRONT_DESK}")),
                Step(offset=dt.timedelta(0), to=(), channels=(), action=EXPIRE_ACTION),
            ),
        ),
        # Started when a bill of the permit is issued (between events): two weeks later, if a
        # bill of the permit is still unpaid, a numbered written reminder is printed.
        DeadlineSpec(
            kind="payment",
            steps=(Step(offset=dt.timedelta(0), to=(), channels=(), action=PAYMENT_NOTICE_ACTION),),
        ),
    )
    deadline_select_related = ("tenant",)
    desk_detail = "desk:permits:parking_detail"
    portal_detail = "portal:permits:parking_detail"

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    start = models.DateField(_("valid from"))
    # Exclusive, as every range of jinyuan.ranges: the permit's last day is the day before.
    end = models.DateField(_("valid until (exclusive)"))
    plate = models.CharField(_("plate number"), max_length=8, validators=[validate_plate])
    brand = models.CharField(_("brand"), max_length=30)
    vehicle_model = models.CharField(_("model"), max_length=40)
    colour = models.CharField(_("colour"), max_length=20)
    driver_name = models.CharField(_("driver"), max_length=40)
    driver_phone = models.CharField(_("driver's phone"), max_length=20, validators=[validate_phone])
    space = models.ForeignKey(
        ParkingSpace,
        verbose_name=_("fixed space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="permits",
        help_text=_("Empty: any free space of the pool."),
    )
    rental_type = models.CharField(_("rental type"), max_length=10, choices=RentalType)
    monthly_fee = models.DecimalField(_("monthly fee (CNY)"), max_digits=10, decimal_places=2, default=0)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    document = models.OneToOneField(
        Document, verbose_name=_("permit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("parking permit")
        verbose_name_plural = _("parking permits")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="parking_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="parking_created_idx"),
            models.Index(fields=["plate", "-end"], name="parking_plate_idx"),
            models.Index(fields=["status", "end"], name="parking_status_end_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plate"],
                condition=Q(status__in=["submitted", "issued"]),
                name="uniq_live_parking_plate",
                violation_error_message=_("This plate already has a live parking permit."),
            ),
            *no_overlap(
                "parking_permit",
                resource="space",
                message=_("This fixed space is let to another permit for these dates."),
                code="space_taken",
                condition=Q(status__in=["submitted", "issued"], space__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} {self.plate}" if self.document_id and self.document else self.plate

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_billed(self) -> bool:
        return self.rental_type == self.RentalType.MONTHLY

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(0), timezone.get_current_timezone())

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(0), timezone.get_current_timezone())

    @property
    def is_new_energy(self) -> bool:
        return is_new_energy(self.plate)

    @property
    def space_text(self) -> str:
        return str(self.space) if self.space_id else str(_("Unassigned (pool)"))

    @property
    def deadline_label(self) -> str:
        return f"{_('Parking permit')} {self.plate} · {self.tenant.name}"

    def clean(self) -> None:
        super().clean()
        self.plate = normalize_plate(self.plate)

    # Declared transitions. Bodies stay empty: side effects belong to services (permits/parking.py).
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.ISSUED,
        permission=DESK,
        custom={
            "label": _("Approve and issue"),
            "event": "approved",
            "event_label": _("Approved and issued"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.REFUSED,
        permission=DESK,
        custom={
            "label": _("Refuse"),
            "event": "refused",
            "event_label": _("Refused"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def refuse(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.WITHDRAWN,
        permission=tenant_admin_of,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by tenant"),
            "confirm": _("Withdraw this application?"),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.EXPIRED,
        permission=system_or_desk,
        custom={"event": "expired", "event_label": _("Expired: not renewed")},
    )
    def expire(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.ISSUED],
        target=Status.REVOKED,
        permission=DESK,
        custom={
            "label": _("Revoke"),
            "event": "revoked",
            "event_label": _("Revoked"),
            "style": "outline-danger",
            "needs_note": True,
            "confirm": _("Revoke this parking permit? The plate is no longer let in."),
        },
    )
    def revoke(self, by=None):
        pass


__all__ = [
    "EXPIRE_ACTION",
    "PAYMENT_NOTICE_ACTION",
    "ParkingPermit",
    "ParkingSpace",
    "normalize_plate",
    "validate_plate",
]
