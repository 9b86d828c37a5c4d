"""The large demo's bulk rows are the rows the services make.

``seed_demo --scale large`` writes its history with COPY. Here one small history is planned,
then written both ways (through the services, as the small demo does, and by the bulk functions
the large demo uses), each inside a savepoint rolled back afterwards, and the rows are compared
field by field: tenants, contacts, occupancies, portal memberships, directory boards, bills and
their lines, payments, allocations, receipts and certificates (one in each state) with their
documents, every audit event and the number sequences. Ids, password hashes and random codes
differ; everything else must match, timestamps included: the clock is frozen and both ways use
the planned times. Notifications are not compared (the bulk history sends none).
"""

import random
import re
from datetime import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from demo import bills, certificates, clock, lifecycle, people
from demo.premises import Layout, create_premises
from permits.models import PremisesCertificate

Status = PremisesCertificate.Status

SEED = 3
LAYOUT = Layout(("A",), floors=4, units_per_floor=4)
TENANTS = 10
MONTHS = 2
STATES = [
    Status.ISSUED,
    Status.REVOKED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.RETURNED,
    Status.CHECKED,
    Status.SUBMITTED,
]
# A moment with history on both sides of a year's end, at office hours.
FROZEN = timezone.make_aware(datetime(2026, 1, 20, 10, 30))

MODELS = (
    "tenants.Tenant",
    "tenants.Contact",
    "tenants.Occupancy",
    "tenants.Membership",
    "tenants.Signboard",
    "billing.Bill",
    "billing.BillLine",
    "billing.Payment",
    "billing.Allocation",
    "billing.DepositEntry",
    "documents.Document",
    "permits.PremisesCertificate",
    "workflow.AuditEvent",
    "workflow.NumberSequence",
    "workflow.Deadline",  # where the record kinds declare deadlines
)
IGNORED_FIELDS = {"password", "code", "submission_key"}  # salted hashes, random codes, form keys
# Values inside ``data`` that are ids of other rows.
ID_KEYS = {"occupancy_id", "signboard", "payment", "move_in", "move_out"}


def natural(obj: models.Model | None) -> object:
    """What identifies a row across the two runs (ids differ: sequences do not roll back)."""
    if obj is None:
        return None
    key = {
        "contenttypes.contenttype": lambda o: o.model,
        "accounts.user": lambda o: o.username,
        "tenants.tenant": lambda o: o.name,
        "tenants.building": lambda o: o.code,
        "tenants.floor": lambda o: (o.building.code, o.number),
        "tenants.unit": lambda o: o.number,
        "tenants.occupancy": lambda o: (o.tenant.name, o.unit.number, o.start),
        "tenants.signboard": lambda o: (o.tenant.name, o.position, o.floor_number),
        "billing.feeitem": lambda o: o.code,
        "billing.bill": lambda o: o.number,
        "billing.billline": lambda o: (o.bill.number, o.description),
        "billing.payment": lambda o: (o.tenant.name, o.received_at, o.amount),
        "documents.document": lambda o: o.number,
        "permits.premisescertificate": lambda o: (o.tenant.name, o.created_at),
    }.get(obj._meta.label_lower)
    return key(obj) if key else obj._meta.label_lower


def describe(obj: models.Model) -> tuple:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in IGNORED_FIELDS:
            continue
        value = getattr(obj, field.attname)
        if field.is_relation:
            value = natural(getattr(obj, field.name))
        elif field.name == "object_id" and hasattr(obj, "content_type"):
            value = natural(obj.content_type.get_object_for_this_type(pk=value))
        elif isinstance(field, models.JSONField) and isinstance(value, dict):
            value = {k: "<id>" if k in ID_KEYS else v for k, v in value.items()}
        elif isinstance(field, models.FileField):
            value = bool(value)
        elif field.name == "source_key":
            value = re.sub(r":\d+$", ":<id>", value)  # "signboard:21": the board's id
        row[field.name] = value
    return tuple(sorted(row.items(), key=lambda item: item[0]))


def snapshot() -> dict[str, list[tuple]]:
    installed = {m._meta.label for m in apps.get_models()}
    return {
        label: sorted((describe(obj) for obj in apps.get_model(label)._default_manager.all()), key=repr)
        for label in MODELS
        if label in installed
    }


def write_history(*, bulk: bool) -> dict[str, list[tuple]]:
    """Plan the history with a fixed seed and write it one way; return the rows it made."""
    saved = transaction.savepoint()
    rng = random.Random(SEED)
    today = timezone.localdate()
    staff = people.create_staff()
    desk, supervisor = staff["desk"], staff["supervisor"]
    clerks = bills.Clerks(system=staff["admin"], desk=desk, finance=staff["finance"])
    premises = create_premises(rng, LAYOUT, TENANTS, today, desk, bulk=bulk, keep_current=2)
    admins = people.create_portal_users(rng, premises.tenants, premises.contacts, TENANTS, desk, bulk=bulk)
    directory = lifecycle.plan_directory(rng, premises, today)
    if bulk:
        lifecycle.directory_in_bulk(premises, directory, desk, clerks)
        bills.history_in_bulk(rng, premises, MONTHS, today, clerks)
    else:
        lifecycle.directory_through_services(premises, directory, desk, clerks)
        bills.recent_through_services(rng, premises, MONTHS, today, clerks)
    requests = certificates.plan_requests(rng, premises, len(STATES), admins, desk.pk, supervisor.pk, today, STATES)
    if bulk:
        certificates.in_bulk(premises, requests)
    else:
        certificates.walk(premises, requests, [desk, supervisor, *admins])
    rows = snapshot()
    transaction.savepoint_rollback(saved)
    return rows


@pytest.fixture
def both_ways(db):
    ContentType.objects.clear_cache()
    with time_machine.travel(FROZEN, tick=False), clock.no_tasks():
        by_services = write_history(bulk=False)
        in_bulk = write_history(bulk=True)
    return by_services, in_bulk


def test_bulk_rows_are_the_rows_the_services_make(both_ways):
    by_services, in_bulk = both_ways
    for label, rows in by_services.items():
        assert in_bulk[label] == rows, label
    _covers_every_kind_of_row(by_services)
    assert get_user_model().objects.count() == 0  # both ways were rolled back


def _covers_every_kind_of_row(by_services: dict[str, list[tuple]]) -> None:
    """The comparison means something only if each kind of row was made."""
    statuses = {dict(row)["status"] for row in by_services["permits.PremisesCertificate"]}
    assert statuses == set(STATES)
    actions = {dict(row)["action"] for row in by_services["workflow.AuditEvent"]}
    assert {
        "tenant.created",
        "tenant.contact_added",
        "tenant.occupancy_started",
        "tenant.occupancy_ended",
        "tenant.member_added",
        "signboard.installed",
        "bill.issued",
        "bill.payment_allocated",
        "payment.received",
        "document.issued",
        "document.revoked",
        "certificate.revoked",
    } <= actions
    kinds = {dict(row)["kind"] for row in by_services["documents.Document"]}
    assert kinds == {"receipt", "premises_certificate"}
