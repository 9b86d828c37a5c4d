from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

# DateRange stays importable from here: migrations 0001 and 0003 name it by this path.
from jinyuan.ranges import DateRange, DateSpan, no_overlap  # noqa: F401

from ..validators import LATE_FEE_GRACE_MAX, LATE_FEE_RATE_CAP, validate_credit_code, validate_late_fee_rate


class Building(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Floor(models.Model):
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="floors")
    number = models.SmallIntegerField(_("floor number"))
    label = models.CharField(_("label"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building__code", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="uniq_floor_in_building")]

    def __str__(self) -> str:
        return self.label or f"{self.number}F"


class Unit(models.Model):
    class Use(models.TextChoices):
        OFFICE = "office", _("Office")
        RETAIL = "retail", _("Retail")
        STORAGE = "storage", _("Storage")
        OTHER = "other", _("Other")

    floor = models.ForeignKey(Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="units")
    number = models.CharField(_("unit number"), max_length=20)
    area = models.DecimalField(
        _("area (m²)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    use = models.CharField(_("use"), max_length=10, choices=Use, default=Use.OFFICE)
    is_active = models.BooleanField(_("in use"), default=True)
    # The electrical supply the unit's distribution board is rated for; a renovation's expected
    # load above it is refused. Empty: no limit recorded.
    power_supply_kw = models.DecimalField(
        _("power supply (kW)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    # Building code, floor and number in one indexed column, kept by database triggers (migration
    # 0010) on every write, COPY and admin edit included: the register orders 5,000 units by
    # building, floor and number without joining and sorting them all for each page.
    sort_key = models.CharField(max_length=60, default="", editable=False, db_collation="C")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["floor__building__code", "floor__number", "number"]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="unit_sort_key_idx"),
            # The tenant search matches a unit number case-insensitively (UPPER(number) = ...).
            models.Index(Upper("number"), name="unit_number_upper_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["floor", "number"],
                name="uniq_unit_number_in_floor",
                violation_error_message=_("This floor already has a unit with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Tenant(models.Model):
    """A company (业户/租户) that occupies or occupied units."""

    name = models.CharField(_("company name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("A tenant with this credit code is already registered.")},
    )
    legal_representative = models.CharField(_("legal representative"), max_length=40, blank=True)
    industry = models.CharField(_("industry"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    # Events on a tenant's own timeline (codes "tenant.<event>"; see workflow.labels).
    audit_prefix = "tenant"
    event_labels = {
        "created": _("Tenant registered"),
        "updated": _("Tenant details changed"),
        "contact_added": _("Contact added"),
        "occupancy_started": _("Occupancy started"),
        "occupancy_ended": _("Occupancy ended"),
        "member_added": _("Portal user added"),
        # Written before the archive's files became attachments (tenant.attachment_added/_voided).
        "archive_uploaded": _("Document filed in the archive"),
        "archive_voided": _("Archive document voided"),
        "movein_opened": _("Move-in opened"),
        "moveout_opened": _("Move-out opened"),
        "signboard_ordered": _("Signboard ordered"),
        "deposit_refunded": _("Deposit settled"),
        "deposit_forfeited": _("Deposit forfeited"),
        "portal_closed": _("Portal access closed"),
        "grant_given": _("Portal area opened to a staff member"),
        "grant_withdrawn": _("Portal area closed to a staff member"),
    }

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name", "id"]
        # The register's order: a page's ids are read from this index alone, however far the page.
        indexes = [models.Index(fields=["-created_at"]), models.Index(fields=["name", "id"], name="tenant_name_id_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # One company, one code: "91450100ma5k…" and "91450100MA5K…" are the same registration.
        self.credit_code = (self.credit_code or "").strip().upper()
        self.name = (self.name or "").strip()

    def save(self, *args, **kwargs) -> None:
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class TenantOwned(models.Model):
    """Abstract base of a record that belongs to one tenant (a certificate, a move-in, a
    signboard ...): the tenant's portal sees it and its admins are told about it
    (``tenants.services.notify_tenant``). The reverse accessor is ``tenant.<modelname>s``."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="%(class)ss")

    class Meta:
        abstract = True


class Contact(models.Model):
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("job title"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class LateFeeTerms(models.Model):
    """The late-fee clause (违约金, 民法典 art.585) of a property management agreement: a daily
    rate on the unpaid principal after some grace days. No rate, no late fee: the law gives
    none by itself, only the agreement can (billing.latefees computes and bills it)."""

    late_fee_daily_rate = models.DecimalField(
        _("late fee per day"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_late_fee_rate],
        help_text=_("A fraction of the unpaid amount per day, e.g. 0.0003 (万分之三). Empty: no late fee."),
    )
    late_fee_grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=0,
        validators=[MaxValueValidator(LATE_FEE_GRACE_MAX)],
        help_text=_("Days after the due date before the late fee starts."),
    )

    class Meta:
        abstract = True

    @property
    def late_fee_terms(self) -> str:
        """ "0.03 % a day after 5 days" (or after the due date), empty without a rate."""
        from django.utils.translation import gettext

        if self.late_fee_daily_rate is None:
            return ""
        percent = f"{self.late_fee_daily_rate * 100:f}".rstrip("0").rstrip(".")
        if self.late_fee_grace_days:
            days = self.late_fee_grace_days
            return gettext("%(rate)s %% a day after %(days)d days") % {"rate": percent, "days": days}
        return gettext("%(rate)s %% a day") % {"rate": percent}


def late_fee_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The database holds the form's bounds too: a rate in (0, 0.1 %] a day or none."""
    return [
        models.CheckConstraint(
            condition=Q(late_fee_daily_rate__isnull=True)
            | (Q(late_fee_daily_rate__gt=0) & Q(late_fee_daily_rate__lte=LATE_FEE_RATE_CAP)),
            name=f"{prefix}_late_fee_rate_in_range",
        ),
        models.CheckConstraint(
            condition=Q(late_fee_grace_days__lte=LATE_FEE_GRACE_MAX), name=f"{prefix}_late_fee_grace_in_range"
        ),
    ]


class Occupancy(LateFeeTerms, DateSpan):
    """A tenant in a unit from ``start`` to ``end`` (exclusive; open-ended while it lasts), on
    the terms of its agreement (the late-fee clause: ``LateFeeTerms``)."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="occupancies")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="occupancies")

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["-start"]
        constraints = [
            *no_overlap(
                "occupancy",
                resource="unit",
                message=_("This unit is already occupied during this period."),
                code="occupied",
            ),
            *late_fee_constraints("occupancy"),
        ]
        indexes = [models.Index(fields=["tenant", "end"]), models.Index(fields=["unit", "end"])]

    def __str__(self) -> str:
        return f"{self.tenant} @ {self.unit}"


class Membership(models.Model):
    """A portal user's place in a tenant company."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.STAFF)
    is_active = models.BooleanField(_("active"), default=True)
    # Portal areas the company's admin opened to this staff member (codes of tenants.grants);
    # admins open every area whatever this holds.
    areas = ArrayField(models.CharField(max_length=30), verbose_name=_("portal areas"), default=list, blank=True)

    class Meta:
        verbose_name = _("tenant membership")
        verbose_name_plural = _("tenant memberships")

    def __str__(self) -> str:
        return f"{self.user} / {self.tenant}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class ArchiveKind(models.TextChoices):
    """The customer archive (客户档案) is the tenant's attachments (jinyuan.attachments) of these kinds."""

    LICENCE = "licence", _("Business licence")
    LEASE = "lease", _("Lease")
    CONTACT_ID = "contact_id", _("ID of the contact")
    AGREEMENT = "agreement", _("Property management agreement")
    INSPECTION = "inspection", _("Inspection photo")
    OTHER = "other", _("Other")
