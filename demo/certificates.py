"""Premises certificates of the demo.

Small scale: a few dozen requests walked through ``permits.services`` by the demo users, so
numbers, audit events, notifications and PDFs are the real thing. Large scale: tens of
thousands written with COPY, shaped exactly as the services would have left them (numbers
consistent with the sequence table, one audit event per state change), PDFs not rendered:
the download view renders on demand.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone, translation

from jinyuan.documents.models import Document
from jinyuan.documents.services import PRINT_LANGUAGE
from jinyuan.workflow.calendar import load_calendar
from jinyuan.workflow.deadlines import build_running
from jinyuan.workflow.models import AuditEvent, Deadline, NumberSequence
from jinyuan.workflow.services import transition
from permits import services
from permits.documents import ISSUER, PREMISES_CERTIFICATE, certificate_data
from permits.models import PremisesCertificate

from .bulk import copy_insert, reserve_ids
from .premises import Premises, Stay, office_time

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


def _purpose(rng: random.Random) -> tuple[str, str]:
    purpose = rng.choice(
        (*[Purpose.BUSINESS_REGISTRATION] * 3, Purpose.REGISTRATION_CHANGE, Purpose.TAX, Purpose.BANK, Purpose.OTHER)
    )
    return purpose, rng.choice(DETAILS[purpose])


# --- small scale: through the services ---------------------------------------------------------

# The final state of each demo request, in the order they are made: the waiting ones come last,
# so they top the registers (newest first).
SMALL_PLAN = (
    *["issued"] * 12,
    *["revoked"] * 3,
    *["rejected"] * 3,
    *["withdrawn"] * 3,
    *["resubmitted"] * 2,
    *["returned"] * 4,
    *["checked"] * 5,
    *["submitted"] * 6,
)


def through_services(
    rng: random.Random, premises: Premises, admins: list[Any], desk: Any, supervisor: Any, today: date
) -> list[PremisesCertificate]:
    """Walk each request of ``SMALL_PLAN`` through the real services, as the people would."""
    made = []
    for n, final in enumerate(SMALL_PLAN):
        index = n % len(admins)
        stay = rng.choice(premises.current_stays_of(index, today))
        tenant, unit, applicant = premises.tenants[index], premises.units[stay.unit], admins[index]
        purpose, detail = _purpose(rng)
        cert = services.certificate_request(
            tenant=tenant,
            unit=unit,
            purpose=purpose,
            purpose_detail=detail,
            copies=rng.choice((1, 1, 2, 3)),
            by=applicant,
        )
        if final in ("returned", "resubmitted"):
            services.certificate_send_back(obj=cert, by=desk, note=rng.choice(RETURN_NOTES))
            if final == "resubmitted":
                services.certificate_resubmit(obj=cert, by=applicant, note="已按要求补充。")
        elif final == "withdrawn":
            transition(cert, "withdraw", by=applicant, note=rng.choice(WITHDRAW_NOTES))
        elif final != "submitted":
            services.certificate_pass_check(obj=cert, by=desk)
            if final == "rejected":
                services.certificate_reject(obj=cert, by=supervisor, note=rng.choice(REJECT_NOTES))
            elif final in ("issued", "revoked"):
                services.certificate_approve(obj=cert, by=supervisor)
                if final == "revoked":
                    services.certificate_revoke(obj=cert, by=supervisor, note=rng.choice(REVOKE_NOTES))
        made.append(cert)
    return made


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
PENDING = (Status.SUBMITTED, Status.CHECKED, Status.RETURNED)


@dataclass
class Step:
    """One state change of a bulk certificate, to become an audit event."""

    action: str
    at: datetime
    actor_id: int
    from_state: str
    to_state: str
    note: str = ""
    data: dict | None = None


def _request_time(rng: random.Random, stay: Stay, registered: datetime, today: date, status: str) -> datetime:
    """When the request came in: within the stay; recent if it still waits, and long enough
    ago for everything that followed (a revocation comes days or months after the issue)."""
    if status in PENDING:
        return timezone.now() - timedelta(minutes=rng.randint(10, 3 * 24 * 60))
    min_age = timedelta(days=30 if status == Status.REVOKED else 3)
    first = max(stay.start, timezone.localdate(registered) + timedelta(days=1))
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
    """The transitions that lead to ``status``, as ``permits.services`` records them."""
    S = Status
    steps = [Step("certificate.submitted", created, applicant_id, "", S.SUBMITTED, data={"unit": unit_number})]
    at = created
    cap = timezone.now()

    def later(low_minutes: int, high_minutes: int) -> datetime:
        return min(at + timedelta(minutes=rng.randint(low_minutes, high_minutes)), cap)

    if status in (S.RETURNED,):
        at = later(20, 600)
        steps.append(Step("certificate.returned", at, desk_id, S.SUBMITTED, S.RETURNED, rng.choice(RETURN_NOTES)))
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
        "issued_on": timezone.localdate(issued).strftime("%Y-%m-%d"),
        "issuer": ISSUER,
    }


def in_bulk(
    rng: random.Random, premises: Premises, count: int, admins: list[Any], desk_id: int, sup_id: int, today: date
) -> Counter:
    """Write ``count`` certificates with their documents and audit events. Returns counts by status."""
    current = [s for s in premises.stays if s.is_current(today)]
    # Most requests are for a unit held today; some are old ones for units since given up.
    any_stay = [s for s in premises.stays if s.start < today - timedelta(days=10)]
    states, weights = zip(*BULK_STATES, strict=True)
    certs: list[PremisesCertificate] = []
    steps_of: dict[int, list[Step]] = {}
    stay_of: dict[int, Stay] = {}
    for cert_id in reserve_ids(PremisesCertificate, count):
        status = rng.choices(states, weights)[0]
        pool = current if status in PENDING or rng.random() < 0.85 else any_stay
        stay = rng.choice(pool)
        tenant, unit = premises.tenants[stay.tenant], premises.units[stay.unit]
        created = _request_time(rng, stay, tenant.created_at, today, status)
        purpose, detail = _purpose(rng)
        steps = _steps(rng, status, created, admins[stay.tenant].pk, desk_id, sup_id, unit.number, stay.occupancy.pk)
        waiting_since = steps[-1].at
        cert = PremisesCertificate(
            pk=cert_id,
            tenant=tenant,
            unit=unit,
            purpose=purpose,
            purpose_detail=detail,
            copies=rng.choice((1, 1, 1, 2, 3)),
            applicant_id=admins[stay.tenant].pk,
            status=status,
            created_at=created,
            updated_at=waiting_since,
        )
        certs.append(cert)
        steps_of[cert_id] = steps
        stay_of[cert_id] = stay

    issued = _documents(certs, steps_of, stay_of, sup_id)
    documents = [doc for doc, _ in issued]
    copy_insert(Document, documents)
    for doc, cert in issued:
        cert.document_id = doc.pk
    copy_insert(PremisesCertificate, certs)
    copy_insert(Deadline, _deadlines(certs, steps_of))
    copy_insert(AuditEvent, _events(certs, steps_of, documents))
    _check_shape(certs, stay_of)
    return Counter(c.status for c in certs)


def _deadlines(certs: list[PremisesCertificate], steps_of: dict) -> list[Deadline]:
    """The running review (submitted) or approval (checked) of each waiting request, started
    at its last step; reminders already past count as sent, so the first scan is quiet."""
    kinds = {Status.SUBMITTED: "review", Status.CHECKED: "approval"}
    calendar, now = load_calendar(), timezone.now()
    return [
        build_running(c, kinds[c.status], started_at=steps_of[c.pk][-1].at, now=now, calendar=calendar)
        for c in certs
        if c.status in kinds
    ]


def _documents(
    certs: list[PremisesCertificate], steps_of: dict, stay_of: dict, sup_id: int
) -> list[tuple[Document, PremisesCertificate]]:
    """One numbered document per approved certificate; numbers follow issue order per year."""
    ct = ContentType.objects.get_for_model(PremisesCertificate)
    approved = []
    for cert in certs:
        steps = steps_of[cert.pk]
        issue = next((s for s in steps if s.action == "certificate.approved"), None)
        if issue:
            approved.append((issue.at, cert, steps))
    approved.sort(key=lambda row: (row[0], row[1].pk))
    last: dict[int, int] = defaultdict(int)
    documents = []
    for issued_at, cert, steps in approved:
        year = timezone.localdate(issued_at).year
        last[year] += 1
        revoke = next((s for s in steps if s.action == "certificate.revoked"), None)
        doc = Document(
            kind=PREMISES_CERTIFICATE.code,
            number=f"{PREMISES_CERTIFICATE.prefix}-{year}-{last[year]:05d}",
            content_type=ct,
            object_id=cert.pk,
            data=_printed(cert, stay_of[cert.pk], issued_at),
            status=Document.Status.REVOKED if revoke else Document.Status.VALID,
            issued_at=issued_at,
            issued_by_id=sup_id,
            revoked_at=revoke.at if revoke else None,
            revoked_by_id=sup_id if revoke else None,
            revoke_reason=revoke.note if revoke else "",
        )
        documents.append((doc, cert))
    # The sequence continues where the bulk numbers end, so the next real issue is gapless.
    for year, n in last.items():
        NumberSequence.objects.update_or_create(prefix=PREMISES_CERTIFICATE.prefix, year=year, defaults={"last": n})
    return documents


def _events(certs: list[PremisesCertificate], steps_of: dict, documents: list[Document]) -> list[AuditEvent]:
    cert_ct = ContentType.objects.get_for_model(PremisesCertificate)
    doc_ct = ContentType.objects.get_for_model(Document)
    events = [
        AuditEvent(
            content_type=cert_ct,
            object_id=cert.pk,
            action=s.action,
            actor_id=s.actor_id,
            at=s.at,
            from_state=s.from_state,
            to_state=s.to_state,
            note=s.note,
            data=s.data or {},
        )
        for cert in certs
        for s in steps_of[cert.pk]
    ]
    for doc in documents:
        data = {"number": doc.number}
        events.append(
            AuditEvent(
                content_type=doc_ct,
                object_id=doc.pk,
                action="document.issued",
                actor_id=doc.issued_by_id,
                at=doc.issued_at,
                to_state="valid",
                data=data,
            )
        )
        if doc.revoked_at:
            events.append(
                AuditEvent(
                    content_type=doc_ct,
                    object_id=doc.pk,
                    action="document.revoked",
                    actor_id=doc.revoked_by_id,
                    at=doc.revoked_at,
                    from_state="valid",
                    to_state="revoked",
                    note=doc.revoke_reason,
                )
            )
    return events


def _check_shape(certs: list[PremisesCertificate], stay_of: dict) -> None:
    """Fail loudly if the printed data drifted from what the real issue copies."""
    today = timezone.localdate()
    # A current stay with a lease end, so the dates are compared too.
    issued_now = [c for c in certs if c.document_id and stay_of[c.pk].is_current(today)]
    sample = next((c for c in issued_now if stay_of[c.pk].end), issued_now[0] if issued_now else None)
    if sample is None:
        return
    doc = Document.objects.get(pk=sample.document_id)
    with translation.override(PRINT_LANGUAGE):
        real = certificate_data(
            PremisesCertificate.objects.select_related("tenant", "unit__floor__building").get(pk=sample.pk)
        )
    differs = {k for k in set(real) | set(doc.data) if k != "issued_on" and real.get(k) != doc.data.get(k)}
    if differs:
        raise RuntimeError(
            f"bulk certificate data differs from permits.documents.certificate_data in {sorted(differs)}"
        )
