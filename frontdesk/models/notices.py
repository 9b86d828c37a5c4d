"""Announcements 公告 and their read receipts (frontdesk, "Announcements" of issue 16).

- ``Announcement``: a notice to all tenants, a building, some floors of a building or chosen
  companies. The desk drafts it, the supervisor approves it, it is published at its publish
  time (at once when that time has come, else by the beat) and leaves the portal at its expiry.
  It can be withdrawn with a reason before or after publishing.
- ``AnnouncementReceipt``: one row per company addressed, fixed at publishing from the
  companies occupying the audience then; the company's first reader and time once one of its
  users opened it, and the desk's last call about it.
- ``AnnouncementRead``: the read receipt of each user (first time they opened it).
- ``AnnouncementCall``: the desk's call to a company that has not read an urgent one.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles

# Who drafts and withdraws; who approves.
NOTICE_DESK_ROLES = DESK_ROLES
NOTICE_APPROVER_ROLES = SUPERVISOR_ROLES


def system_only(instance: "Announcement", user) -> bool:
    """Publishing and expiring are the system's (the approval or the beat), never a button."""
    return user is None


class AnnouncementCategory(models.TextChoices):
    WATER_OUTAGE = "water_outage", _("Water outage")
    POWER_OUTAGE = "power_outage", _("Power outage")
    FIRE_DRILL = "fire_drill", _("Fire drill")
    ELEVATOR = "elevator", _("Elevator maintenance")
    GENERAL = "general", _("General notice")


# Categories urgent by default (the desk may still change the flag).
URGENT_CATEGORIES = frozenset(
    c.value
    for c in (AnnouncementCategory.WATER_OUTAGE, AnnouncementCategory.POWER_OUTAGE, AnnouncementCategory.FIRE_DRILL)
)


class Announcement(Application):
    """A notice 公告 to tenants. Draft → approved (waiting for its publish time) → published;
    withdrawn from any of them with a reason; a published one expires at its expiry time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved, to be published")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Audience(models.TextChoices):
        ALL = "all", _("All tenants")
        BUILDING = "building", _("A building")
        FLOORS = "floors", _("Floors of a building")
        TENANTS = "tenants", _("Chosen tenants")

    Category = AnnouncementCategory

    audit_prefix = "announcement"
    desk_detail = "desk:frontdesk:announcement_detail"  # its link in the management log
    desk_detail = "desk:frontdesk:announcement_detail"
    portal_detail = "portal:frontdesk:announcement_detail"
    event_labels = {
        "drafted": _("Announcement drafted"),
        "edited": _("Announcement changed"),
        "called": _("Company called about the announcement"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=5000)
    category = models.CharField(_("category"), max_length=20, choices=Category, default=Category.GENERAL)
    urgent = models.BooleanField(_("urgent"), default=False)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience, default=Audience.ALL)
    building = models.ForeignKey(
        "tenants.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    floors = models.ManyToManyField("tenants.Floor", verbose_name=_("floors"), blank=True, related_name="+")
    tenants = models.ManyToManyField("tenants.Tenant", verbose_name=_("chosen tenants"), blank=True, related_name="+")
    publish_at = models.DateTimeField(_("publish at"))
    expires_at = models.DateTimeField(_("expires at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    # Fixed at publishing (the receipts) and counted up as companies first read it: the
    # register's "read X of Y" without counting receipts on every row.
    addressed_count = models.PositiveIntegerField(_("companies addressed"), default=0)
    read_count = models.PositiveIntegerField(_("companies that read it"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["-publish_at", "-id"], name="announcement_publish_idx"),
            # The beat's due ones and the portal's live ones.
            models.Index(fields=["status", "publish_at"], name="announcement_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("publish_at")), name="announcement_expiry_after"),
            models.CheckConstraint(condition=Q(read_count__lte=F("addressed_count")), name="announcement_reads_le"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unread_count(self) -> int:
        return self.addressed_count - self.read_count

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.expires_at > timezone.now()

    @transition(
        field="status",
        source=Status.DRAFT,
        target=Status.APPROVED,
        permission=roles(*NOTICE_APPROVER_ROLES),
        custom={"label": _("Approve"), "event": "approved", "event_label": _("Approved"), "style": "success"},
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.PUBLISHED,
        permission=system_only,
        custom={"event": "published", "event_label": _("Published"), "internal": True},
    )
    def publish(self, by=None):
        pass

    @transition(
        field="status",
        # An approved one whose expiry passed before its publish run (the beat down) expires
        # unpublished: nobody is told of a page they could not open.
        source=[Status.APPROVED, Status.PUBLISHED],
        target=Status.EXPIRED,
        permission=system_only,
        custom={"event": "expired", "event_label": _("Expired"), "internal": True},
    )
    def expire(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.DRAFT, Status.APPROVED, Status.PUBLISHED],
        target=Status.WITHDRAWN,
        permission=roles(*NOTICE_DESK_ROLES),
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn"),
            "style": "outline-danger",
            "needs_note": True,
            "confirm": _("Withdraw this announcement? Tenants will no longer see it."),
        },
    )
    def withdraw(self, by=None):
        pass


class AnnouncementReceipt(models.Model):
    """A company addressed by a published announcement: fixed at publishing, read once."""

    class CallResult(models.TextChoices):
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.PROTECT, related_name="receipts"
    )
    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="announcement_receipts"
    )
    first_read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    first_reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first reader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The desk's last call (the calls themselves are AnnouncementCall rows).
    last_called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    last_call_result = models.CharField(_("last call"), max_length=12, choices=CallResult, blank=True)

    class Meta:
        verbose_name = _("announcement receipt")
        verbose_name_plural = _("announcement receipts")
        # Receipts are made in the companies' name order, so the id orders a list by name.
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "tenant"], name="uniq_announcement_receipt"),
        ]
        indexes = [
            # The desk's unread list of one announcement, a page at a time.
            models.Index(
                fields=["announcement", "id"], condition=Q(first_read_at__isnull=True), name="receipt_unread_idx"
            ),
            # The portal's list of one company.
            models.Index(fields=["tenant", "announcement"], name="receipt_tenant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.tenant_id}"


class AnnouncementRead(models.Model):
    """A user's read receipt: the first time they opened the announcement."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.PROTECT, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    tenant = models.ForeignKey("tenants.Tenant", verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("announcement read")
        verbose_name_plural = _("announcement reads")
        ordering = ["read_at", "id"]
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="uniq_announcement_read")]

    def __str__(self) -> str:
        return f"{self.announcement_id} ← {self.user_id}"


class AnnouncementCall(models.Model):
    """The desk called a company about an announcement it has not read."""

    receipt = models.ForeignKey(
        AnnouncementReceipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="calls"
    )
    called_at = models.DateTimeField(_("called at"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=12, choices=AnnouncementReceipt.CallResult)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("announcement call")
        verbose_name_plural = _("announcement calls")
        ordering = ["-called_at", "-id"]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.result}"
