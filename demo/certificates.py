"""Premises certificates of the demo.

Each request is planned first (the form, then each step with its time and person). Small
scale: a few dozen plans walked through ``permits.services`` by the demo users, at the time of
each step, so numbers, audit events and notifications are the real thing. Large scale: tens of
thousands written with COPY, shaped as the services leave them (tests/test_demo_shape.py
compares the two). No PDF is rendered: the download view renders on demand.
"""

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone, translation

from jinyuan.documents.models import Document
from jinyuan.documents.services import PRINT_LANGUAGE
from jinyuan.workflow.calendar import load_calendar
from jinyuan.workflow.deadlines import build_running, specs_of
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import transition
from permits import services
from permits.documents import ISSUER, PREMISES_CERTIFICATE
from permits.models import PremisesCertificate

from . import clock
from .bulk import continue_numbers, copy_insert, copy_rows, reserve_ids
from .premises import TZ, Premises, Stay, office_time

Status = PremisesCertificate.Status
Purpose = PremisesCertificate.Purpose

DETAILS = {
    Purpose.BUSINESS_REGISTRATION: ("", "新设分公司", "办理营业执照"),
    Purpose.REGISTRATION_CHANGE: ("", "注册地址迁入金源CBD现代城"),
    Purpose.TAX: ("", "税务登记信息变更"),
    Purpose.BANK: ("", "开立基本存款账户", "银行贷款审核"),
    Purpose.OTHER: ("高新技术企业认定", "招投标资格审查", "办理食品经营许可证", "申请人才公寓"),
}
RETURN_NOTES = ("请补充营业执照副本复印件。", "申请用途未写明办理事项，请补充。", "份数填写有误，请核对后重新提交。")
REJECT_NOTES = ("申请单位与租赁合同主体不一致。", "该单元已申请办理退租，不予出具。")
REVOKE_NOTES = ("业户申请作废，已重新开具。", "营业执照名称已变更，原证明作废。")
WITHDRAW_NOTES = ("信息填错，撤回后重新申请。", "")
RESUBMIT_NOTE = "已按要求补充。"


def _purpose(rng: random.Random) -> tuple[str, str]:
    purpose = rng.choice(
        (*[Purpose.BUSINESS_REGISTRATION] * 3, Purpose.REGISTRATION_CHANGE, Purpose.TAX, Purpose.BANK, Purpose.OTHER)
    )
    return purpose, rng.choice(DETAILS[purpose])


@dataclass
class Step:
    """One state change of a certificate, planned: the service that makes it (small scale) or
    the audit event it leaves (large scale)."""

    action: str
    at: datetime
    actor_id: int
    from_state: str
    to_state: str
    note: str = ""
    data: dict | None = None


RESUBMITTED = "resubmitted"  # returned, completed and sent in again: waiting as "submitted"
PENDING = (Status.SUBMITTED, Status.CHECKED, Status.RETURNED, RESUBMITTED)


def _request_time(rng: random.Random, stay: Stay, registered: datetime, today: date, status: str) -> datetime:
    """When the request came in: within the stay; recent if it still waits, and long enough
    ago for everything that followed (a revocation comes days or months after the issue)."""
    if status in PENDING:
        return timezone.now() - timedelta(minutes=rng.randint(10, 3 * 24 * 60))
    min_age = timedelta(days=30 if status == Status.REVOKED else 3)
    first = max(stay.start, timezone.localdate(registered, TZ) + timedelta(days=1))
    last = min(stay.end - timedelta(days=3) if stay.end else today, today - min_age)
    if last <= first:
        last = first
    return office_time(rng, first + timedelta(days=rng.randint(0, (last - first).days)))


def _steps(
    rng: random.Random,
    status: str,
    created: datetime,
    applicant_id: int,
    desk_id: int,
    sup_id: int,
    unit_number: str,
    occupancy_id: int,
) -> list[Step]:
    """The transitions that lead to ``status``, with the events ``permits.services`` records."""
    S = Status
    steps = [Step("certificate.submitted", created, applicant_id, "", S.SUBMITTED, data={"unit": unit_number})]
    at = created
    cap = timezone.now()

    def later(low_minutes: int, high_minutes: int) -> datetime:
        return min(at + timedelta(minutes=rng.randint(low_minutes, high_minutes)), cap)

    if status in (S.RETURNED, RESUBMITTED):
        at = later(20, 600)
        steps.append(Step("certificate.returned", at, desk_id, S.SUBMITTED, S.RETURNED, rng.choice(RETURN_NOTES)))
        if status == RESUBMITTED:
            at = later(10, 300)
            steps.append(Step("certificate.resubmitted", at, applicant_id, S.RETURNED, S.SUBMITTED, RESUBMIT_NOTE))
    elif status == S.WITHDRAWN:
        at = later(5, 300)
        steps.append(
            Step("certificate.withdrawn", at, applicant_id, S.SUBMITTED, S.WITHDRAWN, rng.choice(WITHDRAW_NOTES))
        )
    elif status != S.SUBMITTED:
        at = later(20, 600)
        steps.append(
            Step("certificate.checked", at, desk_id, S.SUBMITTED, S.CHECKED, data={"occupancy_id": occupancy_id})
        )
        if status == S.REJECTED:
            at = later(30, 1440)
            steps.append(Step("certificate.rejected", at, sup_id, S.CHECKED, S.REJECTED, rng.choice(REJECT_NOTES)))
        elif status in (S.ISSUED, S.REVOKED):
            at = later(30, 1440)
            steps.append(Step("certificate.approved", at, sup_id, S.CHECKED, S.ISSUED))
            if status == S.REVOKED:
                room = int((cap - at).total_seconds() // 60) - 60
                at = later(min(1440, room), min(200 * 1440, room))
                steps.append(Step("certificate.revoked", at, sup_id, S.ISSUED, S.REVOKED, rng.choice(REVOKE_NOTES)))
    return steps


@dataclass
class Request:
    """A planned request: the tenant's form and what happened to it."""

    stay: Stay
    purpose: str
    purpose_detail: str
    copies: int
    applicant: Any
    steps: list[Step]


def plan_request(
    rng: random.Random, premises: Premises, stay: Stay, status: str, applicant: Any, desk_id: int, sup_id: int
) -> Request:
    today = timezone.localdate(timezone.now(), TZ)
    tenant, unit = premises.tenants[stay.tenant], premises.units[stay.unit]
    created = _request_time(rng, stay, tenant.created_at, today, status)
    purpose, detail = _purpose(rng)
    steps = _steps(rng, status, created, applicant.pk, desk_id, sup_id, unit.number, stay.occupancy.pk)
    return Request(stay, purpose, detail, rng.choice((1, 1, 1, 2, 3)), applicant, steps)


# --- small scale: through the services ---------------------------------------------------------

# The final state of each demo request, in the order they are made: the waiting ones come last,
# so they top the registers (newest first).
SMALL_PLAN = (
    *[Status.ISSUED] * 12,
    *[Status.REVOKED] * 3,
    *[Status.REJECTED] * 3,
    *[Status.WITHDRAWN] * 3,
    *[RESUBMITTED] * 2,
    *[Status.RETURNED] * 4,
    *[Status.CHECKED] * 5,
    *[Status.SUBMITTED] * 6,
)


def through_services(
    rng: random.Random, premises: Premises, admins: list[Any], desk: Any, supervisor: Any, today: date
) -> list[PremisesCertificate]:
    """Walk each request of ``SMALL_PLAN`` through the real services, as the people would."""
    requests = []
    for n, final in enumerate(SMALL_PLAN):
        index = n % len(admins)
        stay = rng.choice(premises.current_stays_of(index, today))
        requests.append(plan_request(rng, premises, stay, final, admins[index], desk.pk, supervisor.pk))
    return walk(premises, requests, [desk, supervisor, *admins])


def walk(premises: Premises, requests: list[Request], people: list[Any]) -> list[PremisesCertificate]:
    """Make the requests and each of their steps through ``permits.services``, in the order
    they happened (so numbers follow issue times), each at its time. ``people`` are the users
    the steps name."""
    users = {u.pk: u for u in people}
    certs: dict[int, PremisesCertificate] = {}
    timeline = sorted(((step.at, n, i) for n, r in enumerate(requests) for i, step in enumerate(r.steps)))
    for at, n, i in timeline:
        request, step = requests[n], requests[n].steps[i]
        with clock.at(at):
            if i == 0:
                certs[n] = services.certificate_request(
                    tenant=premises.tenants[request.stay.tenant],
                    unit=premises.units[request.stay.unit],
                    purpose=request.purpose,
                    purpose_detail=request.purpose_detail,
                    copies=request.copies,
                    by=request.applicant,
                )
            else:
                _take_step(certs[n], step, users[step.actor_id])
    return [certs[n] for n in range(len(requests))]


def _take_step(cert: PremisesCertificate, step: Step, by: Any) -> None:
    note = step.note
    if step.action == "certificate.returned":
        services.certificate_send_back(obj=cert, by=by, note=note)
    elif step.action == "certificate.resubmitted":
        services.certificate_resubmit(obj=cert, by=by, note=note)
    elif step.action == "certificate.withdrawn":
        transition(cert, "withdraw", by=by, note=note)
    elif step.action == "certificate.checked":
        services.certificate_pass_check(obj=cert, by=by)
    elif step.action == "certificate.rejected":
        services.certificate_reject(obj=cert, by=by, note=note)
    elif step.action == "certificate.approved":
        services.certificate_approve(obj=cert, by=by)
    elif step.action == "certificate.revoked":
        services.certificate_revoke(obj=cert, by=by, note=note)


# --- large scale: in bulk -------------------------------------------------------------------------

# Final states of bulk certificates; the pending ones are recent requests on current occupancies.
BULK_STATES = (
    (Status.ISSUED, 0.80),
    (Status.REVOKED, 0.03),
    (Status.REJECTED, 0.04),
    (Status.WITHDRAWN, 0.03),
    (Status.RETURNED, 0.03),
    (Status.CHECKED, 0.03),
    (Status.SUBMITTED, 0.04),
)


def _printed(cert: PremisesCertificate, stay: Stay, issued: datetime) -> dict:
    """The data ``permits.documents.certificate_data`` copies at issue, without its queries."""
    unit = cert.unit
    with translation.override(PRINT_LANGUAGE):
        purpose = cert.purpose_text
        area = formats.number_format(unit.area, 2)
    return {
        "company": cert.tenant.name,
        "credit_code": cert.tenant.credit_code,
        "building": unit.floor.building.name,
        "address": unit.floor.building.address,
        "floor": unit.floor.number,
        "unit": unit.number,
        "area": area,
        "since": stay.since.strftime("%Y-%m-%d"),
        # A lease's printed end is its last day; the occupancy's ``end`` is the day after.
        "until": stay.occupancy.last_day.strftime("%Y-%m-%d") if stay.end else "",
        "purpose": purpose,
        "issued_on": timezone.localdate(issued, TZ).strftime("%Y-%m-%d"),
        "issuer": ISSUER,
    }


def plan_requests(
    rng: random.Random,
    premises: Premises,
    count: int,
    admins: list[Any],
    desk_id: int,
    sup_id: int,
    today: date,
    states: list[str] | None = None,
) -> list[Request]:
    """``count`` requests ending in ``states`` (or in states drawn from ``BULK_STATES``)."""
    current = [s for s in premises.stays if s.is_current(today) and s.tenant < len(admins)]
    # Most requests are for a unit held today; some are old ones for units since given up.
    any_stay = [s for s in premises.stays if s.start < today - timedelta(days=10) and s.tenant < len(admins)]
    names, weights = zip(*BULK_STATES, strict=True)
    requests = []
    for n in range(count):
        status = states[n] if states else rng.choices(names, weights)[0]
        pool = current if status in PENDING or rng.random() < 0.85 else any_stay
        stay = rng.choice(pool)
        requests.append(plan_request(rng, premises, stay, status, admins[stay.tenant], desk_id, sup_id))
    return requests


def in_bulk(premises: Premises, requests: list[Request]) -> Counter:
    """Write the certificates of ``requests`` with their documents and audit events, as
    ``walk`` leaves them. Returns counts by status."""
    certs: list[PremisesCertificate] = []
    by_pk: dict[int, Request] = {}
    for request, cert_id in zip(requests, reserve_ids(PremisesCertificate, len(requests)), strict=True):
        stay, last = request.stay, request.steps[-1]
        certs.append(
            PremisesCertificate(
                pk=cert_id,
                tenant=premises.tenants[stay.tenant],
                unit=premises.units[stay.unit],
                purpose=request.purpose,
                purpose_detail=request.purpose_detail,
                copies=request.copies,
                applicant_id=request.applicant.pk,
                status=last.to_state,
                created_at=request.steps[0].at,
                updated_at=last.at,
            )
        )
        by_pk[cert_id] = request
    requests = by_pk  # by certificate id from here on
    issued = _documents(certs, requests)
    documents = [doc for doc, _ in issued]
    copy_insert(Document, documents)
    for doc, cert in issued:
        cert.document_id = doc.pk
    copy_insert(PremisesCertificate, certs)
    copy_insert(Deadline, _deadlines(certs, requests))
    cts = ContentType.objects.get_for_models(PremisesCertificate, Document)
    rows = _events(certs, requests, documents, cts[PremisesCertificate].pk, cts[Document].pk)
    copy_rows(AuditEvent, EVENT_COLUMNS, rows)
    return Counter(c.status for c in certs)


# The deadline each waiting state runs (``PremisesCertificate.deadlines``).
DEADLINE_KINDS = {Status.SUBMITTED: "review", Status.CHECKED: "approval"}


def _deadlines(certs: list[PremisesCertificate], requests: dict[int, Request]) -> list[Deadline]:
    """Each run of the review and approval deadlines, as ``transition()`` leaves it: started on
    entering the waiting state, stopped (met or late) on leaving it, still running if it waits.
    No reminder counts as sent: the first scan sends those already due, as after the services."""
    calendar = load_calendar()
    rows = []
    for cert in certs:
        steps = requests[cert.pk].steps
        for n, step in enumerate(steps):
            kind = DEADLINE_KINDS.get(step.to_state)
            if kind is None:
                continue
            row = build_running(cert, kind, started_at=step.at, now=step.at, calendar=calendar)
            if n + 1 < len(steps):
                stopped, leaving_to = steps[n + 1].at, steps[n + 1].to_state
                # Withdrawn (cancelled, revoked ...): no outcome, as deadlines._stop records it.
                met = None if leaving_to in specs_of(PremisesCertificate)[kind].uncounted_in else stopped <= row.due_at
                row.state, row.stopped_at, row.met = Deadline.State.STOPPED, stopped, met
                row.next_step_at = None
            rows.append(row)
    return rows


def _documents(
    certs: list[PremisesCertificate], requests: dict[int, Request]
) -> list[tuple[Document, PremisesCertificate]]:
    """One numbered document per approved certificate; numbers follow issue order per year."""
    ct = ContentType.objects.get_for_model(PremisesCertificate)
    approved = []
    for cert in certs:
        steps = requests[cert.pk].steps
        issue = next((s for s in steps if s.action == "certificate.approved"), None)
        if issue:
            approved.append((issue, cert, steps))
    approved.sort(key=lambda row: (row[0].at, row[1].pk))
    numbers = continue_numbers(PREMISES_CERTIFICATE.prefix, [timezone.localdate(a[0].at, TZ).year for a in approved])
    documents = []
    for (issue, cert, steps), number in zip(approved, numbers, strict=True):
        revoke = next((s for s in steps if s.action == "certificate.revoked"), None)
        doc = Document(
            kind=PREMISES_CERTIFICATE.code,
            number=number,
            content_type=ct,
            object_id=cert.pk,
            data=_printed(cert, requests[cert.pk].stay, issue.at),
            status=Document.Status.REVOKED if revoke else Document.Status.VALID,
            issued_at=issue.at,
            issued_by_id=issue.actor_id,
            revoked_at=revoke.at if revoke else None,
            revoked_by_id=revoke.actor_id if revoke else None,
            revoke_reason=revoke.note if revoke else "",
        )
        documents.append((doc, cert))
    return documents


EVENT_COLUMNS = ("content_type_id", "object_id", "action", "actor_id", "at", "from_state", "to_state", "note", "data")


def _events(
    certs: list[PremisesCertificate], requests: dict[int, Request], documents: list[Document], cert_ct: int, doc_ct: int
) -> Iterator:
    """Rows of ``EVENT_COLUMNS``: each step's event, and each document's issue and revocation.
    (The content types come in as arguments: this runs inside the COPY, where no query can.)"""
    for cert in certs:
        for s in requests[cert.pk].steps:
            data = json.dumps(s.data or {})
            yield (cert_ct, cert.pk, s.action, s.actor_id, s.at, s.from_state, s.to_state, s.note, data)
    for doc in documents:
        number = json.dumps({"number": doc.number})
        yield (doc_ct, doc.pk, "document.issued", doc.issued_by_id, doc.issued_at, "", "valid", "", number)
        if doc.revoked_at:
            revoked = ("document.revoked", doc.revoked_by_id, doc.revoked_at, "valid", "revoked", doc.revoke_reason)
            yield (doc_ct, doc.pk, *revoked, "{}")
