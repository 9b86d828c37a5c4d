"""大厦出入证: building access passes (the tenant's staff cards)."""

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.phones import validate_mobile
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK
from tenants.models import Floor, TenantOwned

# The portal area (tenants.grants) a company admin opens to the staff who request cards.
ACCESS_AREA = "access_passes"


def member_or_desk(instance: "AccessPass", user: Any) -> bool:
    """The desk, or a member of the card's company who may open its access passes (its admins,
    and the staff their admin gave the grant)."""
    if not (user and user.is_authenticated):
        return False
    if DESK(instance, user):
        return True
    from tenants import grants

    return grants.member_may_open(user, instance.tenant_id, ACCESS_AREA)


def system_only(instance: Any, user: Any) -> bool:
    """No person: the expiry scan runs it as ``by=None`` (``permits.access_passes``)."""
    return user is None


def next_step(access_pass: "AccessPass", *, portal: bool) -> str:
    """What happens next, in one sentence for the person looking at the card."""
    S = AccessPass.Status
    status = access_pass.status
    if status == S.REQUESTED:
        return (
            gettext("The service center checks the request.") if portal else gettext("Approve or refuse the request.")
        )
    if status == S.APPROVED:
        if portal:
            return gettext("Approved: collect the card at the service center desk.")
        return gettext("Give out a card: enter its number and how it is charged.")
    if status == S.ISSUED:
        return gettext("In use. Report it lost at once if it goes missing; hand it back when the holder leaves.")
    if status == S.LOST:
        if portal:
            return gettext(
                "Reported lost: the card no longer opens doors. The desk reissues it with a new card (a fee)."
            )
        return gettext("Reissue a new card (the reissue fee is billed), or cancel the card.")
    if status == S.EXPIRED:
        return gettext("Past its last day: hand the card back at the desk to have the deposit refunded.")
    return ""


class AccessPass(TenantOwned, Application):
    """大厦出入证: one card for one member of a tenant's staff, opening the floors it lists.

    Requested by the company (portal) or the desk for it, approved, then issued with a card
    number that is unique among live cards (a partial unique index: of twenty clerks issuing one
    number at once, one succeeds). A lost card is dead at once; its reissue gets a new number.
    Valid no later than the company's occupancy of the floors it opens; past its last day the
    scan task marks it expired (the card is still out: returning it refunds the deposit).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved: waiting for the card")
        REFUSED = "refused", _("Refused")
        ISSUED = "issued", _("Issued")
        LOST = "lost", _("Reported lost")
        EXPIRED = "expired", _("Expired")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    class CardType(models.TextChoices):
        STAFF = "staff", _("Staff card")
        TEMPORARY = "temporary", _("Temporary card")

    class Charge(models.TextChoices):
        DEPOSIT = "deposit", _("Card deposit (refunded when returned)")
        FEE = "fee", _("Card fee (not refunded)")
        FREE = "free", _("Free of charge")

    # A card is out (it exists, held by someone): its number may not be given to another card.
    CARD_OUT = (Status.ISSUED, Status.LOST, Status.EXPIRED)
    PENDING = (Status.REQUESTED, Status.APPROVED)
    # Nothing more can happen to it: the card is back, was never made, or is void.
    CLOSED = (Status.REFUSED, Status.RETURNED, Status.CANCELLED)
    # A temporary card covers a short need (a secondee, an intern's first weeks).
    TEMPORARY_MAX_DAYS = 90

    audit_prefix = "access_pass"
    event_labels = {
        "requested": _("Access card requested"),
        "imported": _("Access card requested (Excel list)"),
        "billed": _("Card charge billed"),
        "migrated": _("Card count from a move-in or move-out turned into a card"),
        "deposit_refunded": _("Card deposit refunded"),
        "deposit_forfeited": _("Card deposit kept: the card was not returned"),
        "deposit_bill_voided": _("Unpaid card deposit bill voided"),
        "deposit_partly_paid": _("Card deposit partly paid: to be settled at the desk"),
        "floors_narrowed": _("Floors of units moved out of removed from the card"),
        "end_capped": _("Last day moved to the end of the occupancy"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True)
    holder_name = models.CharField(_("card holder"), max_length=40, blank=True)
    department = models.CharField(_("department"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    card_type = models.CharField(_("card type"), max_length=20, choices=CardType, default=CardType.STAFF)
    floors = models.ManyToManyField(Floor, verbose_name=_("floors it opens"), related_name="+", blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: as long as the company occupies the floors.")
    )
    card_number = models.CharField(_("card number"), max_length=20, blank=True, db_index=True)
    # Numbers of this pass's cards reported lost: dead for good, found again by a search.
    dead_card_numbers = ArrayField(
        models.CharField(max_length=20), verbose_name=_("lost card numbers"), default=list, blank=True
    )
    charge = models.CharField(_("charge"), max_length=10, choices=Charge, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    reissues = models.PositiveSmallIntegerField(_("reissued"), default=0)
    # Made by migration permits 0007 from a card count (``movein_unit:<pk>``/``moveout_unit:<pk>``):
    # no name, no number; the desk completes or closes it.
    migrated_from = models.CharField(_("migrated from"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("access pass")
        verbose_name_plural = _("access passes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="accesspass_created_idx"),
            models.Index(fields=["tenant", "-created_at", "-id"], name="accesspass_tenant_idx"),
            # The expiry scan: issued cards past their last day.
            models.Index(fields=["valid_until"], name="accesspass_issued_until_idx", condition=Q(status="issued")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=Q(status__in=["issued", "lost", "expired"]) & ~Q(card_number=""),
                name="uniq_live_access_card",
                violation_error_message=_("This card number belongs to a card that is still out."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved", "refused", "cancelled"])
                | ~Q(card_number="")
                | ~Q(migrated_from=""),
                name="access_card_number_once_issued",
            ),
        ]

    def __str__(self) -> str:
        holder = self.holder_name or _("(no name)")
        return f"{self.card_number} {holder}" if self.card_number else f"#{self.pk} {holder}"

    @property
    def is_out(self) -> bool:
        return self.status in self.CARD_OUT

    @property
    def is_migrated(self) -> bool:
        return bool(self.migrated_from)

    @property
    def masked_mobile(self) -> str:
        from jinyuan.documents.masking import mask_phone

        return mask_phone(self.mobile) if self.mobile else ""

    @property
    def tenant_next_step(self) -> str:
        return next_step(self, portal=True)

    @property
    def desk_next_step(self) -> str:
        return next_step(self, portal=False)

    def floor_labels(self) -> str:
        """The floors it opens, from the prefetched ``floors`` (one query per page, not per row)."""
        return "、".join(f"{f.building.code}{f}" if f.building_id else str(f) for f in self.floors.all())

    @transition(
        field="status",
        source=Status.REQUESTED,
        target=Status.APPROVED,
        permission=DESK,
        custom={"label": _("Approve"), "event": "approved", "event_label": _("Approved"), "style": "primary"},
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.REQUESTED, Status.APPROVED],
        target=Status.REFUSED,
        permission=DESK,
        custom={
            "label": _("Refuse"),
            "event": "refused",
            "event_label": _("Refused"),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def refuse(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.ISSUED,
        permission=DESK,
        custom={"event": "issued", "event_label": _("Access card issued")},
    )
    def issue(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ISSUED, Status.EXPIRED],
        target=Status.LOST,
        permission=member_or_desk,
        custom={
            "label": _("Report the card lost"),
            "event": "lost",
            "event_label": _("Reported lost"),
            "confirm": _("Report this card lost? It stops opening doors at once."),
            "style": "warning",
            "needs_note": True,
        },
    )
    def report_lost(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.LOST,
        target=Status.ISSUED,
        permission=DESK,
        custom={"event": "reissued", "event_label": _("Reissued with a new card")},
    )
    def reissue(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ISSUED, Status.EXPIRED],
        target=Status.RETURNED,
        permission=DESK,
        custom={
            "label": _("Card returned (refund the deposit)"),
            "event": "returned",
            "event_label": _("Card returned"),
            "style": "success",
        },
    )
    def give_back(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.REQUESTED, Status.APPROVED],
        target=Status.CANCELLED,
        permission=member_or_desk,
        custom={
            "label": _("Withdraw the request"),
            "event": "withdrawn",
            "event_label": _("Request withdrawn"),
            "confirm": _("Withdraw this request? No card will be made."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ISSUED, Status.LOST, Status.EXPIRED],
        target=Status.CANCELLED,
        permission=DESK,
        custom={
            "label": _("Cancel the card"),
            "event": "cancelled",
            "event_label": _("Card cancelled"),
            "confirm": _("Cancel this card? It stops opening doors."),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def cancel(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.EXPIRED,
        permission=system_only,
        custom={"event": "expired", "event_label": _("Expired: past its last day")},
    )
    def expire(self, by=None):
        pass
