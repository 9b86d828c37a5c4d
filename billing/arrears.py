"""Arrears 催缴 services: the reminder scan, the printed notices, the demand letter and its
delivery, and the desk's calls and visits with their promises to pay.

Why a scan of its own and not a kernel DeadlineSpec on Bill: a spec's steps are fixed in code,
while finance edits this schedule in the admin. So the scan reads the schedule each run and
claims a (bill, step) row of ReminderSent with INSERT ... ON CONFLICT DO NOTHING RETURNING: a
repeated or concurrent scan gets nothing back for a step already sent, and sends nothing twice.
No step ever cuts water or power (民法典 art.944): steps only notify and print.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.services import attachment_add
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, documents_issue
from jinyuan.workflow.services import TransitionRefused, notify, record_event
from tenants.models import Building, Floor, Membership, Tenant

from . import arrears_selectors as sel
from .arrears_models import ArrearsContact, DemandLetter, NoticeBatch, ReminderSent, ReminderStep
from .hooks import BILLS
from .models import ZERO, Bill

MSG_BEFORE = gettext_noop("Payment reminder: bill %(number)s (%(amount)s CNY) is due on %(due)s")
MSG_DUE = gettext_noop("Payment reminder: bill %(number)s (%(amount)s CNY) is due today")
MSG_OVERDUE = gettext_noop("Overdue: bill %(number)s (%(amount)s CNY) was due on %(due)s, %(days)s days ago")
MSG_PROMISE = gettext_noop("Promise broken: %(tenant)s promised to pay by %(date)s and has not paid")
# Copies besides in-app that the kernel sends (its SMS backend: jinyuan.workflow.sms).
SENT_CHANNELS = ("email", "sms")
PROOF_KIND = "delivery_proof"


# --- reminders -----------------------------------------------------------------------------------


def bill_recipient_ids(tenant_ids: set[int]) -> dict[int, list[int]]:
    """The portal users who read each tenant's bills: its admins and the staff it opened the
    bills area to (tenants.grants). Never anyone of another company (one query)."""
    rows = (
        Membership.objects.filter(tenant_id__in=tenant_ids, is_active=True, user__is_active=True)
        .filter(Q(role=Membership.Role.ADMIN) | Q(areas__contains=[BILLS]))
        .values_list("tenant_id", "user_id")
    )
    out: dict[int, list[int]] = {}
    for tenant_id, user_id in rows:
        out.setdefault(tenant_id, []).append(user_id)
    return out


def _claim(step: ReminderStep, bill_ids: list[int], now: datetime) -> list[int]:
    """Mark ``step`` sent for the bills nobody sent it for; return those bills' ids."""
    if not bill_ids:
        return []
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO billing_remindersent (bill_id, step_id, sent_at, channels, recipients)
            SELECT b, %s, %s, %s, 0 FROM unnest(%s::bigint[]) AS b
            ON CONFLICT (bill_id, step_id) DO NOTHING
            RETURNING bill_id
            """,
            [step.pk, now, list(step.channels), bill_ids],
        )
        return [row[0] for row in cur.fetchall()]


def _message(step: ReminderStep, bill: Bill, on: date) -> tuple[str, dict[str, Any]]:
    args = {"number": bill.number, "amount": f"{bill.total - bill.paid:,.2f}", "due": bill.due_date.isoformat()}
    if step.offset_days < 0:
        return MSG_BEFORE, args
    if step.offset_days == 0:
        return MSG_DUE, args
    return MSG_OVERDUE, {**args, "days": (on - bill.due_date).days}


def reminders_send(*, on: date | None = None, now: datetime | None = None) -> int:
    """Send each bill the latest step of the schedule that has come due and was not sent yet.

    A bill paid in full is never read (the rest of its steps are cancelled by the payment).
    After a pause (beat down) only the latest due step goes out, not a burst of old ones.
    Returns how many reminders (bill × step) were sent.
    """
    on = on or timezone.localdate()
    now = now or timezone.now()
    steps = list(ReminderStep.objects.filter(is_active=True).order_by("offset_days"))
    sent = 0
    for i, step in enumerate(steps):
        # Bills whose latest due step is this one: due on or before on - offset, and the next
        # step not yet due.
        # Tenants' bills: a customer (billing.payers) has no portal to remind it through.
        bills = Bill.objects.filter(
            status__in=sel.UNPAID, customer__isnull=True, due_date__lte=on - timedelta(days=step.offset_days)
        )
        if i + 1 < len(steps):
            bills = bills.filter(due_date__gt=on - timedelta(days=steps[i + 1].offset_days))
        bills = bills.exclude(reminders__step=step).filter(total__gt=0)
        with transaction.atomic():
            claimed = _claim(step, list(bills.values_list("pk", flat=True)), now)
            if claimed:
                sent += _notify_claimed(step, claimed, on)
    return sent


def _notify_claimed(step: ReminderStep, bill_ids: list[int], on: date) -> int:
    bills = list(Bill.objects.filter(pk__in=bill_ids).select_related("tenant"))
    recipients = bill_recipient_ids({b.tenant_id for b in bills})
    users = {u.pk: u for u in _users({uid for ids in recipients.values() for uid in ids})}
    channels = [c for c in step.channels if c in SENT_CHANNELS]
    for bill in bills:
        message, args = _message(step, bill, on)
        to = [users[uid] for uid in recipients.get(bill.tenant_id, []) if uid in users]
        notify(
            to,
            message=message,
            args=args,
            url=reverse("portal:billing:bill_detail", args=[bill.pk]),
            dedup_key=f"arrears:{bill.pk}:{step.pk}",
            channels=channels,
        )
        ReminderSent.objects.filter(bill=bill, step=step).update(recipients=len(to))
    return len(bills)


def _users(ids: set[int]) -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids))


# --- printed notices -----------------------------------------------------------------------------


def notice_issue(*, tenant: Tenant, by: Any) -> Document:
    """A numbered notice 催缴通知书 listing the tenant's overdue bills today."""
    if not sel.overdue_bills(timezone.localdate()).filter(tenant=tenant).exists():
        raise TransitionRefused(_("This tenant has no overdue bills."))
    return document_issue(kind=sel.NOTICE_KIND, source=tenant, by=by)


def notices_issue_batch(*, tenants: list[Tenant], by: Any, on: date | None = None) -> list[Document]:
    """One numbered notice per tenant (the batch print of a building or floor), set-based: the
    tenants' overdue bills and late fees read together (a fixed number of queries), one range
    of numbers taken under the sequence lock, one insert of the notices and of their events.
    Their PDFs are printed together (``notice_batch_render``), not one by one."""
    from .arrears_documents import notice_payload

    on = on or timezone.localdate()
    bills = sel.overdue_by_tenant([t.pk for t in tenants], on)
    return documents_issue(
        kind=sel.NOTICE_KIND,
        sources=tenants,
        by=by,
        build=lambda tenant: notice_payload(tenant, bills.get(tenant.pk, []), on),
        render=False,
    )


def notice_batch_create(
    *, tenants: list[Tenant], by: Any, building: Building | None = None, floor: Floor | None = None
) -> NoticeBatch:
    """The batch print of a building or floor: a numbered notice per tenant in arrears there,
    recorded as one batch whose PDF the worker renders after commit (the desk's page shows it
    being prepared, then the download). A few hundred notices take a fixed number of queries."""
    if not tenants:
        raise TransitionRefused(_("No tenant there has an overdue bill."))
    if (building is None) == (floor is None):
        raise ValidationError(_("Choose a building or a floor."))
    from .tasks import render_notice_batch

    on = timezone.localdate()
    with transaction.atomic():
        documents = notices_issue_batch(tenants=tenants, by=by, on=on)
        batch = NoticeBatch.objects.create(
            building=building,
            floor=floor,
            as_of=on,
            notices=len(documents),
            first_number=documents[0].number,
            last_number=documents[-1].number,
            created_by=by,
        )
        batch.documents.add(*documents)
        record_event(
            batch,
            "notice_batch.issued",
            by=by,
            data={"notices": len(documents), "first": batch.first_number, "last": batch.last_number},
        )
        render_notice_batch.delay_on_commit(batch.pk)
    return batch


def notice_batch_render(*, batch: NoticeBatch) -> bool:
    """Render and store the batch's PDF. Safe to run twice, also at once: the row lock makes
    the second wait and find the PDF there; the file sits at one fixed path."""
    from .arrears_documents import notices_batch_pdf

    with transaction.atomic():
        locked = NoticeBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.rendered_at and locked.pdf:
            return False
        documents = list(locked.documents.order_by("number"))
        pdf, pages = notices_batch_pdf(documents)
        path = f"arrears/notices/{locked.as_of:%Y}/{locked.pk}.pdf"
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(pdf))
        NoticeBatch.objects.filter(pk=locked.pk).update(pdf=stored, pages=pages, rendered_at=timezone.now())
        record_event(locked, "notice_batch.rendered", data={"pages": pages})
    return True


# --- demand letters 催告函 ----------------------------------------------------------------------


def demand_letter_issue(*, tenant: Tenant, by: Any) -> DemandLetter:
    """The formal demand after three months overdue, numbered, with an audit event."""
    on = timezone.localdate()
    bills = sel.overdue_of(tenant, on)
    oldest = bills[0].due_date if bills else None
    if not sel.demand_letter_due(oldest, on):
        raise TransitionRefused(_("A demand letter is sent only when a bill is overdue more than three months."))
    with transaction.atomic():
        letter = DemandLetter.objects.create(
            tenant=tenant, total=sum((b.outstanding for b in bills), ZERO), oldest_due=oldest, issued_by=by
        )
        letter.document = document_issue(kind=sel.DEMAND_KIND, source=letter, by=by)
        letter.save(update_fields=["document"])
        record_event(letter, "demand_letter.issued", by=by, data={"number": letter.document.number})
    return letter


def demand_letter_deliver(
    *, letter: DemandLetter, method: str, delivered_on: date, by: Any, note: str = "", proof: Any = None
) -> DemandLetter:
    """Record how and when the letter reached the tenant, with the proof (a mail receipt, a
    signed copy) as an attachment; once only."""
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    if delivered_on < timezone.localdate(letter.issued_at):
        raise ValidationError({"delivered_on": _("The letter cannot be delivered before it was issued.")})
    with transaction.atomic():
        changed = DemandLetter.objects.filter(pk=letter.pk, delivered_on__isnull=True).update(
            delivery_method=method, delivered_on=delivered_on, delivery_note=note, delivery_recorded_by=by
        )
        if not changed:
            raise TransitionRefused(_("The delivery of this letter is already recorded."))
        letter.refresh_from_db()
        if proof is not None:
            attachment_add(record=letter, upload=proof, by=by, kind=PROOF_KIND, label=str(_("Proof of delivery")))
        record_event(
            letter,
            "demand_letter.delivered",
            by=by,
            note=note,
            data={"method": method, "delivered_on": delivered_on.isoformat()},
        )
    return letter


# --- calls and visits with promises to pay -------------------------------------------------------


def contact_record(
    *,
    tenant: Tenant,
    by: Any,
    method: str,
    person: str,
    contacted_at: datetime | None = None,
    note: str = "",
    promise_date: date | None = None,
) -> ArrearsContact:
    """A call or visit about the tenant's arrears; a promise must be dated today or later."""
    if promise_date is not None and promise_date < timezone.localdate():
        raise ValidationError({"promise_date": _("A promise to pay cannot be dated in the past.")})
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"contacted_at": _("The contact cannot be in the future.")})
    with transaction.atomic():
        contact = ArrearsContact.objects.create(
            tenant=tenant,
            method=method,
            person=person,
            contacted_at=contacted_at,
            note=note,
            promise_date=promise_date,
            recorded_by=by,
        )
        record_event(
            contact,
            "arrears_contact.recorded",
            by=by,
            note=note,
            data={"method": method, "promise_date": promise_date.isoformat() if promise_date else ""},
        )
    return contact


def broken_promises_remind(*, on: date | None = None) -> int:
    """Tell the desk once about each promise whose date has passed while a bill it covered (due
    by the promised date) is still unpaid. The claim is a compare-and-swap on the contact."""
    on = on or timezone.localdate()
    candidates = list(
        ArrearsContact.objects.filter(promise_date__lt=on, promise_reminded_at__isnull=True).select_related("tenant")
    )
    desk = list(staff_with_role(Role.FRONT_DESK))
    told = 0
    for contact in candidates:
        unpaid = Bill.objects.filter(
            tenant_id=contact.tenant_id, status__in=sel.UNPAID, due_date__lte=contact.promise_date
        ).exists()
        if not unpaid:
            continue
        with transaction.atomic():
            claimed = ArrearsContact.objects.filter(pk=contact.pk, promise_reminded_at__isnull=True).update(
                promise_reminded_at=timezone.now()
            )
            if not claimed:
                continue
            notify(
                desk,
                message=MSG_PROMISE,
                args={"tenant": contact.tenant.name, "date": contact.promise_date.isoformat()},
                url=reverse("desk:billing:arrears_account", args=[contact.tenant_id]),
                dedup_key=f"arrears-promise:{contact.pk}",
                channels=("email",),
            )
            record_event(contact, "arrears_contact.promise_broken", data={"date": contact.promise_date.isoformat()})
            told += 1
    return told
