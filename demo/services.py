"""Loading and wiping the demo data of 金源CBD现代城 (``manage.py seed_demo``)."""

import random
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Notification
from permits.models import PremisesCertificate
from tenants.models import Building, Contact, Floor, Occupancy, Tenant, Unit

from . import certificates, people
from .premises import Layout, create_premises

RANDOM_SEED = 136  # 民族大道136号: the same demo every time


@dataclass(frozen=True)
class Scale:
    name: str
    layout: Layout
    tenants: int
    portal_admins: int  # tenants with a portal administrator login
    bulk_certificates: int  # 0: a few dozen through the services instead


SCALES = {
    # Two 30-storey towers, ten units a floor: about what 金源CBD现代城 has.
    "small": Scale(
        "small", Layout(("A", "B"), floors=30, units_per_floor=10), tenants=300, portal_admins=12, bulk_certificates=0
    ),
    # For the benchmarks: four 50-storey towers of 25 units a floor, every tenant with a portal admin.
    "large": Scale(
        "large",
        Layout(("A", "B", "C", "D"), floors=50, units_per_floor=25),
        tenants=3000,
        portal_admins=3000,
        bulk_certificates=20_000,
    ),
}

# Apps whose tables a reset empties. TRUNCATE ... CASCADE also empties every table that points
# at these (a later app's bills or bookings), while tables nothing points at, such as the
# groups made by migrations, keep their rows.
RESET_APPS = ("accounts", "tenants", "permits", "documents", "workflow", "admin", "sessions", "axes")


@dataclass
class Summary:
    scale: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)
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
        if model._meta.db_table in existing
    ]
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def seed(scale: Scale) -> Summary:
    """Load the demo into an empty database, in one transaction: all of it or nothing."""
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    today = timezone.localdate()
    # Notifications e-mailed while seeding would flood the console; nobody reads them.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        staff = people.create_staff()
        desk, supervisor = staff["desk"], staff["supervisor"]
        premises = create_premises(rng, scale.layout, scale.tenants, today, clerk_id=desk.pk)
        admins = people.create_portal_users(rng, premises.tenants, premises.contacts, scale.portal_admins)
        if scale.bulk_certificates:
            certificates.in_bulk(rng, premises, scale.bulk_certificates, admins, desk.pk, supervisor.pk, today)
        else:
            certificates.through_services(rng, premises, admins, desk, supervisor, today)
    # PDFs of the small scale render on commit (eagerly without a broker), inside the timing.
    summary = summarize(scale.name)
    summary.seconds = time.monotonic() - started
    summary.logins = people.logins(premises.tenants)
    return summary


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
        "rendered PDFs": Document.objects.exclude(pdf="").count(),
        "audit events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }
    by_status = PremisesCertificate.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return Summary(scale=scale, counts=counts, certificates=dict(sorted(by_status)))


def existing_logins() -> list[people.Login]:
    """The demo logins, if this database holds the demo (the desk login exists)."""
    if not get_user_model().objects.filter(username=people.STAFF[0].username).exists():
        return []
    return people.logins(list(Tenant.objects.order_by("pk")[:2]))
