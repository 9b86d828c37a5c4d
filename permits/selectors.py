from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jinyuan.workflow.selectors import deadline_due_at
from tenants.models import Tenant

from .models import PremisesCertificate, WorkerPass


def certificates() -> QuerySet[PremisesCertificate]:
    """With ``due_at``: when the running review or approval is due (None when none runs)."""
    return PremisesCertificate.objects.select_related(
        "tenant", "unit__floor__building", "document", "applicant"
    ).annotate(due_at=deadline_due_at(PremisesCertificate))


def certificates_of(tenant: Tenant) -> QuerySet[PremisesCertificate]:
    return certificates().filter(tenant=tenant)


def certificate_for_desk(pk: int) -> PremisesCertificate:
    return get_object_or_404(certificates(), pk=pk)


def certificate_for_tenant(pk: int, tenant: Tenant) -> PremisesCertificate:
    """Another tenant's certificate is a 404, never a 403: its existence is not told."""
    return get_object_or_404(certificates_of(tenant), pk=pk)


def waiting_counts(user: Any) -> dict[str, int]:
    from django.db.models import Count, Q

    S = PremisesCertificate.Status
    return PremisesCertificate.objects.aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)), checked=Count("pk", filter=Q(status=S.CHECKED))
    )


# --- worker passes ------------------------------------------------------------------------------


def worker_passes() -> QuerySet[WorkerPass]:
    return WorkerPass.objects.select_related("tenant", "renovation__unit__floor__building", "document")


def worker_passes_of(tenant: Tenant) -> QuerySet[WorkerPass]:
    return worker_passes().filter(tenant=tenant)


def worker_passes_of_renovation(renovation: Any) -> QuerySet[WorkerPass]:
    return worker_passes().filter(renovation=renovation).order_by("-created_at", "-id")


def worker_pass_for_desk(pk: int) -> WorkerPass:
    return get_object_or_404(worker_passes(), pk=pk)


def worker_pass_for_tenant(pk: int, tenant: Tenant) -> WorkerPass:
    """Another tenant's pass is a 404."""
    return get_object_or_404(worker_passes_of(tenant), pk=pk)


def pass_photo(worker_pass: WorkerPass):
    from jinyuan.attachments.selectors import attachments_of

    return attachments_of(worker_pass).filter(kind="photo").order_by("-uploaded_at", "-id").first()


# --- personal data retention (jinyuan.privacy) --------------------------------------------------

ENDED = (WorkerPass.Status.RETURNED, WorkerPass.Status.VOID)
ENDING_EVENTS = ("worker_pass.returned", "worker_pass.voided")


def ended_and_photo(model: type, events: tuple[str, ...], cutoff: datetime) -> tuple[Exists, Exists]:
    """For a retention query: whether the record had one of ``events`` before ``cutoff``, and
    whether it still holds a personal file (a photo, an ID scan) not yet purged."""
    from django.contrib.contenttypes.models import ContentType

    from jinyuan.attachments.models import Attachment
    from jinyuan.privacy import PERSONAL_KINDS
    from jinyuan.workflow.models import AuditEvent

    record_type = ContentType.objects.get_for_model(model)
    ended_then = Exists(
        AuditEvent.objects.filter(content_type=record_type, object_id=OuterRef("pk"), action__in=events, at__lt=cutoff)
    )
    photo = Exists(
        Attachment.objects.filter(
            content_type=record_type, object_id=OuterRef("pk"), kind__in=PERSONAL_KINDS, purged_at__isnull=True
        )
    )
    return ended_then, photo


def passes_ended_before(cutoff: datetime) -> QuerySet[WorkerPass]:
    """Passes that ended before ``cutoff`` (returned or voided then, or past their last day)
    and still hold personal data to purge: a photo not yet deleted, or a whole ID number on a
    returned or void pass. Passes already purged are not read again every day."""
    from jinyuan.documents.masking import MASK

    ended_then, photo = ended_and_photo(WorkerPass, ENDING_EVENTS, cutoff)
    whole_id = Q(status__in=ENDED) & ~Q(id_number__startswith=MASK)
    ended = Q(valid_until__lt=timezone.localdate(cutoff)) | (Q(status__in=ENDED) & Q(ended_then))
    return WorkerPass.objects.filter(ended).filter(Q(photo) | whole_id).order_by("pk")


def scrub_worker_pass(worker_pass: WorkerPass) -> dict[str, str]:
    """The ID number masked once the pass is returned or void. A pass past its last day but
    never handed back is still live to the one-live-pass-per-worker index, where two masked
    numbers ("****1234") could clash: it keeps the number until it is returned or voided."""
    from jinyuan.documents.masking import mask_id_number

    if worker_pass.status not in ENDED:
        return {}
    return {"id_number": mask_id_number(worker_pass.id_number)}


# --- release notes 大件物品放行条 -------------------------------------------------------------------


def release_notes() -> QuerySet:
    """Plain and ordered, newest first; the page's rows joined to their company and paper."""
    from .models import ReleaseNote

    return ReleaseNote.objects.select_related("tenant", "document").order_by("-created_at", "-id")


def release_notes_of(tenant: Tenant) -> QuerySet:
    return release_notes().filter(tenant=tenant)


def release_note_for_desk(pk: int):
    return get_object_or_404(release_notes().select_related("move_out", "released_by", "applicant"), pk=pk)


def release_note_for_tenant(pk: int, tenant: Tenant):
    """Another company's note is a 404."""
    return get_object_or_404(release_notes_of(tenant).select_related("released_by"), pk=pk)


def release_note_overdue_q() -> Q:
    """Waiting for the desk on or after the day the goods are to leave."""
    from .models import ReleaseNote

    return Q(status=ReleaseNote.Status.SUBMITTED, date__lte=timezone.localdate())


def release_notes_waiting() -> int:
    from .models import ReleaseNote

    return ReleaseNote.objects.filter(status=ReleaseNote.Status.SUBMITTED).count()


def gate_photos(note) -> list:
    """The photos guards took at the exit (``jinyuan.documents`` attaches them to the note)."""
    from jinyuan.attachments.selectors import attachments_of
    from jinyuan.documents.services import GATE_PHOTO

    return list(attachments_of(note).filter(kind=GATE_PHOTO).order_by("uploaded_at", "id"))


def release_notes_ended_before(cutoff: datetime) -> QuerySet:
    """Notes closed (released, refused, expired, refused by the desk, withdrawn, revoked) whose
    day ended before ``cutoff`` and that still hold the carrier's whole ID number or a photo
    taken at the exit (personal data retention); notes already purged are not read again."""
    from django.contrib.contenttypes.models import ContentType

    from jinyuan.attachments.models import Attachment
    from jinyuan.documents.masking import MASK
    from jinyuan.documents.services import GATE_PHOTO

    from .models import ReleaseNote

    closed = [s for s in ReleaseNote.Status if s not in (*ReleaseNote.OPEN, ReleaseNote.Status.ISSUED)]
    photo = Exists(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ReleaseNote),
            object_id=OuterRef("pk"),
            kind=GATE_PHOTO,
            purged_at__isnull=True,
        )
    )
    return (
        ReleaseNote.objects.filter(status__in=closed, date__lt=timezone.localdate(cutoff))
        .filter(Q(photo) | ~Q(carrier_id_number__startswith=MASK))
        .order_by("pk")
    )


def scrub_release_note(note) -> dict[str, str]:
    """The carrier's ID number masked (``****123X``); masking it again changes nothing."""
    from jinyuan.documents.masking import mask_id_number

    return {"carrier_id_number": mask_id_number(note.carrier_id_number)}


# --- access passes 大厦出入证 -------------------------------------------------------------------

from django.db.models import Prefetch  # noqa: E402

from tenants.models import Floor  # noqa: E402

from .models import AccessPass  # noqa: E402

FLOORS = Prefetch("floors", queryset=Floor.objects.select_related("building").order_by("building__code", "number"))


def access_passes() -> QuerySet[AccessPass]:
    """The plain rows a register filters and pages (``access_pass_rows`` adds the columns)."""
    return AccessPass.objects.all()


def access_pass_rows(queryset: QuerySet[AccessPass]) -> QuerySet[AccessPass]:
    """A page's rows with the company and the floors (one prefetch for the page)."""
    return queryset.select_related("tenant").prefetch_related(FLOORS)


def access_passes_of(tenant: Tenant) -> QuerySet[AccessPass]:
    return access_passes().filter(tenant=tenant)


def access_pass_for_desk(pk: int) -> AccessPass:
    return get_object_or_404(access_pass_rows(AccessPass.objects.select_related("applicant")), pk=pk)


def access_pass_for_tenant(pk: int, tenant: Tenant) -> AccessPass:
    """Another tenant's card is a 404."""
    return get_object_or_404(access_pass_rows(access_passes_of(tenant)), pk=pk)


def access_pass_photo(access_pass: AccessPass):
    from jinyuan.attachments.selectors import attachments_of

    return attachments_of(access_pass).filter(kind="photo").order_by("-uploaded_at", "-id").first()


def access_pass_counts() -> dict[str, int]:
    from django.db.models import Count

    S = AccessPass.Status
    return AccessPass.objects.aggregate(
        requested=Count("pk", filter=Q(status=S.REQUESTED)),
        approved=Count("pk", filter=Q(status=S.APPROVED)),
        lost=Count("pk", filter=Q(status=S.LOST)),
    )


# An access card's holder: photo and mobile are personal data, kept N days after the card is
# closed (jinyuan.privacy; registered in permits.access_hooks).
CARD_CLOSING_EVENTS = ("access_pass.refused", "access_pass.withdrawn", "access_pass.returned", "access_pass.cancelled")


def access_passes_closed_before(cutoff: datetime) -> QuerySet[AccessPass]:
    """Cards closed (refused, withdrawn, returned, cancelled) before ``cutoff`` that still hold
    a photo or a whole mobile number; purged cards are not read again every day."""
    from jinyuan.documents.masking import MASK

    closed_then, photo = ended_and_photo(AccessPass, CARD_CLOSING_EVENTS, cutoff)
    whole_mobile = ~Q(mobile="") & ~Q(mobile__contains=MASK)
    return (
        AccessPass.objects.filter(status__in=AccessPass.CLOSED)
        .filter(closed_then)
        .filter(Q(photo) | whole_mobile)
        .order_by("pk")
    )


def scrub_access_pass(access_pass: AccessPass) -> dict[str, str]:
    """The mobile masked (138****0001); masking it again gives the same."""
    from jinyuan.documents.masking import mask_phone

    return {"mobile": mask_phone(access_pass.mobile)} if access_pass.mobile else {}


def access_pass_bills(access_pass: AccessPass):
    """The card's bills (deposit, fee, reissues), newest first: one query."""
    from billing.models import Bill

    key = f"accesspass:{access_pass.pk}"
    return (
        Bill.objects.filter(tenant_id=access_pass.tenant_id)
        .filter(Q(source_key=key) | Q(source_key__startswith=f"{key}:"))
        .order_by("-issued_on", "-id")
    )
