"""Worker passes 施工人员出入证: every write and state change (the premises certificates'
services are in services.py; this module keeps the two apart).

Money goes through billing: at issue the pass fee is one bill (``workerpass:<pk>:fee``) and
the pass deposit another (``source_key`` ``workerpass:<pk>``, copied onto the deposit's ledger
entry when paid), a reissue bills its own fee, a returned badge refunds what the ledger holds
for the pass. A badge returned or voided before its deposit was paid owes no deposit any more:
the unpaid deposit bill is voided (billing's ``bill_void``), never refunded; the fee stays owed.
The badge itself is a kernel document (kind ``worker_pass``) valid until the pass's last day:
the gate's verdict says "expired" after it, nothing runs at midnight.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import ZERO, Bill, DepositEntry
from billing.services import LineSpec, bill_create, deposit_forfeit_source
from jinyuan.attachments.services import attachment_add
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_resume, document_revoke, document_suspend
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow.services import TransitionRefused, check_transition, record_event, transition
from renovation.models import Renovation
from renovation.passes import PassDeposit

from . import fees
from .models import WorkerPass

FEE_ITEM = "worker_pass"
REISSUE_ITEM = "worker_pass_reissue"
DEPOSIT_ITEM = "worker_pass_deposit"
PHOTO = "photo"


def source_key(worker_pass: WorkerPass) -> str:
    """The pass deposit's bill and ledger entries."""
    return f"workerpass:{worker_pass.pk}"


def fee_source_key(worker_pass: WorkerPass) -> str:
    return f"{source_key(worker_pass)}:fee"


def renovation_end(renovation: Renovation) -> date | None:
    """The last day the renovation may work: the granted period, extensions included (an
    approved extension moves ``granted_end``)."""
    return renovation.granted_end


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), timezone.get_current_timezone())


def _check_worker(
    *,
    renovation: Renovation,
    id_number: str,
    trade: str,
    certificate_number: str,
    certificate_expiry: date | None,
    valid_until: date | None,
    today: date,
) -> date:
    """Every rule of the issue, each error beside its field; returns the pass's last day."""
    errors: dict[str, list[str]] = {}
    end = renovation_end(renovation)
    if renovation.status != Renovation.Status.IN_WORKS or end is None:
        raise TransitionRefused(_("Worker passes are issued only for a renovation in works."))
    if end < today:
        raise TransitionRefused(_("The renovation's granted period has ended."))
    last = end
    if valid_until is not None:
        if valid_until < today:
            errors.setdefault("valid_until", []).append(_("The last day cannot be in the past."))
        elif valid_until > end:
            errors.setdefault("valid_until", []).append(
                _("A pass cannot outlast the renovation (granted until %(end)s).") % {"end": end.isoformat()}
            )
        else:
            last = valid_until
    if trade in WorkerPass.CERTIFIED_TRADES:
        if not certificate_number.strip():
            errors.setdefault("certificate_number", []).append(
                _("Electricians and welders need their special-operation certificate number.")
            )
        if certificate_expiry is None:
            errors.setdefault("certificate_expiry", []).append(_("Give the certificate's expiry date."))
        elif certificate_expiry < today:
            errors.setdefault("certificate_expiry", []).append(
                _("The certificate expired on %(day)s: no pass for this trade.")
                % {"day": certificate_expiry.isoformat()}
            )
        else:
            # The pass cannot outlast the certificate that allows the trade.
            last = min(last, certificate_expiry)
    live = WorkerPass.objects.filter(id_number=id_number, status__in=WorkerPass.LIVE).select_related("document").first()
    if live is not None:
        errors.setdefault("id_number", []).append(_live_message(live))
    if errors:
        raise ValidationError(errors)
    return last


def _live_message(live: WorkerPass) -> str:
    return _("This worker already holds a live pass (%(number)s); return it or report it lost first.") % {
        "number": str(live)
    }


def _fee_lines(renovation: Renovation, codes: tuple[str, ...], worker_name: str) -> list[LineSpec]:
    return fees.fee_lines(codes, worker_name, renovation.unit)


def _bill(renovation: Renovation, code: str, title: str, worker_name: str, key: str, by: Any) -> Bill | None:
    """A bill of one fee item for one worker (none when the item is not priced)."""
    return fees.bill_item(
        tenant=renovation.tenant,
        code=code,
        title=title % {"name": worker_name},
        holder=worker_name,
        key=key,
        by=by,
        unit=renovation.unit,
    )


def void_unpaid_deposit(worker_pass: WorkerPass, *, by: Any, reason: str) -> Bill | None:
    """The badge is back (or void) before its deposit was paid (``fees.void_unpaid_deposit``)."""
    return fees.void_unpaid_deposit(worker_pass, key=source_key(worker_pass), by=by, reason=reason)


def worker_pass_issue(
    *,
    renovation: Renovation,
    worker_name: str,
    id_number: str,
    trade: str,
    photo: UploadedFile | None,
    by: Any,
    certificate_number: str = "",
    certificate_expiry: date | None = None,
    valid_until: date | None = None,
) -> WorkerPass:
    """Issue a badge to one worker of a renovation in works, billing the fee and the deposit.
    Of several clerks issuing to the same worker at once one wins (the partial unique index);
    the others get the message beside the ID number and draw no number."""
    today = timezone.localdate()
    id_number = (id_number or "").strip().upper()
    worker_name = (worker_name or "").strip()
    if trade not in WorkerPass.CERTIFIED_TRADES:
        certificate_number, certificate_expiry = "", None
    last = _check_worker(
        renovation=renovation,
        id_number=id_number,
        trade=trade,
        certificate_number=certificate_number,
        certificate_expiry=certificate_expiry,
        valid_until=valid_until,
        today=today,
    )
    if photo is None:
        raise ValidationError({"photo": _("A photo of the worker is required: it is printed on the badge.")})
    worker_pass = WorkerPass(
        tenant_id=renovation.tenant_id,
        renovation=renovation,
        applicant=by,
        worker_name=worker_name,
        id_number=id_number,
        trade=trade,
        certificate_number=certificate_number.strip(),
        certificate_expiry=certificate_expiry,
        valid_until=last,
        status=WorkerPass.Status.ISSUED,
    )
    worker_pass.full_clean(exclude=["status", "tenant", "renovation", "applicant"], validate_constraints=False)
    try:
        with transaction.atomic():
            # The row first: a concurrent issue to the same worker waits on the unique index
            # here and fails before drawing a number.
            worker_pass.save()
            try:
                attachment_add(
                    record=worker_pass, upload=photo, by=by, kind=PHOTO, label=worker_name, allowed=IMAGE_TYPES
                )
            except ValidationError as exc:
                raise ValidationError({"photo": exc.message_dict.get("file", exc.messages)}) from exc
            # Two bills: a deposit never paid can then be voided alone when the badge comes back.
            bill = _bill(renovation, FEE_ITEM, _("Worker pass %(name)s"), worker_name, fee_source_key(worker_pass), by)
            deposit_bill = _bill(
                renovation, DEPOSIT_ITEM, _("Worker pass deposit %(name)s"), worker_name, source_key(worker_pass), by
            )
            doc = document_issue(
                kind="worker_pass",
                source=worker_pass,
                by=by,
                valid_from=timezone.now(),
                valid_until=_end_of(last),
            )
            WorkerPass.objects.filter(pk=worker_pass.pk).update(document=doc)
            worker_pass.document = doc
            record_event(
                worker_pass,
                "worker_pass.issued",
                by=by,
                to_state=worker_pass.status,
                data={
                    "number": doc.number,
                    "bill": bill.number if bill else "",
                    "deposit_bill": deposit_bill.number if deposit_bill else "",
                    "valid_until": last.isoformat(),
                },
            )
            record_event(renovation, "renovation.worker_pass_issued", by=by, data={"number": doc.number})
    except IntegrityError as exc:
        live = WorkerPass.objects.filter(id_number=id_number, status__in=WorkerPass.LIVE).first()
        if live is None:
            raise
        raise ValidationError({"id_number": [_live_message(live)]}) from exc
    return worker_pass


def worker_pass_report_lost(*, obj: WorkerPass, by: Any, note: str) -> WorkerPass:
    """The badge is lost: it stops working at the gate at once (its paper is revoked)."""
    with transaction.atomic():
        transition(obj, "report_lost", by=by, note=note)
        if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
            document_revoke(document=obj.document, by=by, reason=_("Reported lost: %(note)s") % {"note": note})
    return obj


def worker_pass_reissue(*, obj: WorkerPass, by: Any, note: str = "") -> WorkerPass:
    """A new badge (new number and code) for a lost one, with the reissue fee billed; the
    deposit paid at issue stays with the pass."""
    today = timezone.localdate()
    end = renovation_end(obj.renovation)
    if obj.renovation.status != Renovation.Status.IN_WORKS or end is None or end < today:
        raise TransitionRefused(_("Worker passes are issued only for a renovation in works."))
    last = min(obj.valid_until, end)
    if last < today:
        raise TransitionRefused(_("The pass's validity has ended; issue a new pass instead."))
    with transaction.atomic():
        check_transition(obj, "reissue", by=by, note=note)
        lines = _fee_lines(obj.renovation, (REISSUE_ITEM,), obj.worker_name)
        bill = None
        if lines:
            bill = bill_create(
                tenant=obj.renovation.tenant,
                title=_("Worker pass reissued %(name)s") % {"name": obj.worker_name},
                lines=lines,
                by=by,
                source_key=f"{source_key(obj)}:reissue:{obj.reissues + 1}",
            )
        doc = document_issue(
            kind="worker_pass", source=obj, by=by, valid_from=timezone.now(), valid_until=_end_of(last)
        )
        transition(
            obj,
            "reissue",
            by=by,
            note=note,
            changes={"document": doc, "reissues": obj.reissues + 1, "valid_until": last},
            data={"number": doc.number, "bill": bill.number if bill else ""},
        )
    return obj


def worker_pass_return(*, obj: WorkerPass, by: Any, note: str = "") -> WorkerPass:
    """The badge is handed back: its paper is revoked and the pass deposit held is refunded."""
    with transaction.atomic():
        transition(obj, "give_back", by=by, note=note)
        if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
            document_revoke(document=obj.document, by=by, reason=_("Badge returned"))
        # What the ledger holds is refunded; a deposit never paid has its bill voided.
        fees.settle_deposit(
            obj,
            key=source_key(obj),
            by=by,
            reason=_("Worker pass %(number)s returned") % {"number": str(obj)},
            void_reason=_("Badge returned before the pass deposit was paid"),
        )
    return obj


def worker_pass_void(*, obj: WorkerPass, by: Any, note: str) -> WorkerPass:
    """Void one live pass and revoke its badge (the admin's revoke action on the document)."""
    with transaction.atomic():
        _void(obj, by=by, note=note)
    return obj


def _void(worker_pass: WorkerPass, *, by: Any, note: str) -> None:
    """The pass void, its badge revoked, a deposit never paid no longer billed."""
    transition(worker_pass, "void", by=by, note=note)
    if worker_pass.document_id and worker_pass.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
        document_revoke(document=worker_pass.document, by=by, reason=note)
    reason = _("Pass voided before its deposit was paid: %(note)s") % {"note": note}
    void_unpaid_deposit(worker_pass, by=by, reason=reason)


# --- what the renovation's workflow does to its passes (hooks; see README) -------------------


def _passes_of(renovation: Renovation, statuses) -> list[WorkerPass]:
    return list(
        WorkerPass.objects.select_for_update(of=("self",))
        .filter(renovation=renovation, status__in=statuses)
        .select_related("document")
        .order_by("pk")
    )


def suspend_passes_of(renovation: Renovation, *, by: Any, reason: str = "") -> int:
    """Stop-work: every issued pass of the renovation is suspended with its badge."""
    reason = reason or _("Renovation suspended")
    with transaction.atomic():
        passes = _passes_of(renovation, (WorkerPass.Status.ISSUED,))
        for worker_pass in passes:
            transition(worker_pass, "suspend", by=by, note=reason)
            if worker_pass.document and worker_pass.document.status == Document.Status.VALID:
                document_suspend(document=worker_pass.document, by=by, reason=reason)
    return len(passes)


def restore_passes_of(renovation: Renovation, *, by: Any, note: str = "") -> int:
    """Works resume: the suspended passes are issued again, their badges valid again."""
    note = note or _("Works resumed")
    with transaction.atomic():
        passes = _passes_of(renovation, (WorkerPass.Status.SUSPENDED,))
        for worker_pass in passes:
            transition(worker_pass, "restore", by=by, note=note)
            if worker_pass.document and worker_pass.document.status == Document.Status.SUSPENDED:
                document_resume(document=worker_pass.document, by=by, note=note)
    return len(passes)


def void_passes_of(renovation: Renovation, *, by: Any, reason: str = "") -> int:
    """Closing: every live pass is void and its badge revoked (returned ones stay returned)."""
    reason = reason or _("Renovation closed")
    with transaction.atomic():
        passes = _passes_of(renovation, WorkerPass.LIVE)
        for worker_pass in passes:
            _void(worker_pass, by=by, note=reason)
    return len(passes)


@dataclass(frozen=True)
class UnreturnedDeposit:
    """A pass deposit the renovation's refund forfeits first (its badge never came back)."""

    source_key: str
    amount: Decimal
    reason: str
    number: str
    holder: str


def unreturned_pass_deposits(renovation: Renovation) -> list[UnreturnedDeposit]:
    """The pass deposits still held for badges not returned (live, or void without return):
    two queries whatever the number of passes."""
    passes = list(
        WorkerPass.objects.filter(renovation=renovation)
        .exclude(status=WorkerPass.Status.RETURNED)
        .select_related("document")
        .order_by("pk")
    )
    keys = {source_key(p): p for p in passes}
    held: dict[str, Decimal] = dict.fromkeys(keys, ZERO)
    entries = (
        DepositEntry.objects.filter(tenant_id=renovation.tenant_id, source_key__in=keys)
        .values("source_key", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in entries:
        sign = 1 if row["kind"] == DepositEntry.Kind.RECEIVED else -1
        held[row["source_key"]] += sign * row["total"]
    return [
        UnreturnedDeposit(
            source_key=key,
            amount=held[key],
            reason=_("Worker pass %(number)s not returned (%(name)s)")
            % {"number": str(worker_pass), "name": worker_pass.worker_name},
            number=str(worker_pass),
            holder=worker_pass.worker_name,
        )
        for key, worker_pass in keys.items()
        if held[key] > 0
    ]


class RenovationPasses:
    """The worker passes as the renovation's workflow sees them (``renovation.passes``):
    registered in PermitsConfig.ready, since renovation never imports permits. Each call runs
    inside the renovation's own transaction."""

    def suspend(self, renovation: Renovation, *, by: Any, reason: str) -> int:
        return suspend_passes_of(renovation, by=by, reason=reason)

    def restore(self, renovation: Renovation, *, by: Any) -> int:
        return restore_passes_of(renovation, by=by)

    def void(self, renovation: Renovation, *, by: Any, reason: str) -> int:
        return void_passes_of(renovation, by=by, reason=reason)

    def desk_link(self, renovation: Renovation) -> tuple[str, str] | None:
        """The renovation's workers page (issue passes, print badges), once works have begun."""
        if not renovation.permit_id:
            return None
        return str(_("Worker passes")), reverse("desk:permits:renovation_passes", args=[renovation.pk])

    def unreturned(self, renovation: Renovation) -> list[PassDeposit]:
        return [PassDeposit(d.number, d.holder, d.amount) for d in unreturned_pass_deposits(renovation)]

    def forfeit_unreturned(self, renovation: Renovation, *, by: Any) -> list[PassDeposit]:
        """Before the renovation's refund: each badge still out is voided and keeps its own
        pass deposit (deducted from that pass's entries only, never the renovation's)."""
        forfeited = []
        with transaction.atomic():
            unreturned = unreturned_pass_deposits(renovation)
            void_passes_of(renovation, by=by, reason=_("Not returned by the deposit refund"))
            for deposit in unreturned:
                deposit_forfeit_source(
                    tenant=renovation.tenant, source_key=deposit.source_key, by=by, reason=deposit.reason
                )
                forfeited.append(PassDeposit(deposit.number, deposit.holder, deposit.amount))
        return forfeited


RENOVATION_PASSES = RenovationPasses()
