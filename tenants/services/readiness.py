"""A move-in whose checklist is complete waits for a supervisor: note the moment it becomes
ready, tell the supervisors once, and count it on their home page.

Readiness is noted by the writes that can complete an item (a step on the move-in, a file in
the archive, a signboard ordered, a payment in billing), not by a page that reads the
checklist: reads never write. ``ready_at`` is what the supervisor's panel counts, and the
notification is sent exactly when it is set, so the home count and the notifications agree.
"""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.workflow.models import Notification
from jinyuan.workflow.services import notify, record_event

from ..models import MoveIn, Tenant


def _ready_key(move_in: MoveIn) -> str:
    return f"movein-{move_in.pk}-ready"


def movein_note_readiness(*, move_in: MoveIn, by: Any = None) -> bool:
    """Set or clear ``ready_at`` as the checklist now stands; True when it has just become ready."""
    from ..checklists import CHECKLISTS, MOVE_IN

    move_in = MoveIn.objects.select_related("tenant").get(pk=move_in.pk)  # no stale prefetch
    if move_in.status != MoveIn.Status.OPEN:
        return False
    ready = CHECKLISTS[MOVE_IN].complete(move_in)
    with transaction.atomic():
        if not ready:
            # An item undone again (a bill voided): no longer counted as waiting.
            MoveIn.objects.filter(pk=move_in.pk, ready_at__isnull=False).update(ready_at=None)
            return False
        now = timezone.now()
        if not MoveIn.objects.filter(pk=move_in.pk, ready_at__isnull=True).update(ready_at=now):
            return False  # already noted (by this request or a concurrent one)
        record_event(move_in, "movein.ready", by=by)
        notify(
            staff_with_role(Role.SUPERVISOR),
            message=gettext_noop("Move-in ready to confirm: %(company)s"),
            args={"company": move_in.tenant.name},
            url=reverse("desk:tenants:movein_detail", args=[move_in.pk]),
            dedup_key=f"{_ready_key(move_in)}-{now:%Y%m%d%H%M%S%f}",
        )
    return True


def movein_note_readiness_of(*, tenant: Tenant | int, by: Any = None) -> None:
    """The same for every open move-in of ``tenant`` (for writes on the tenant, not the move-in)."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    # Only move-ins whose own steps are done can have become ready through a write on the
    # tenant: one cheap query instead of the whole checklist of every open move-in.
    candidates = (
        MoveIn.objects.filter(tenant_id=tenant_id, status=MoveIn.Status.OPEN, agreement_signed_on__isnull=False)
        .exclude(units__keys_handed__isnull=True)
        .exclude(units__inspected_at__isnull=True)
    )
    for move_in in candidates:
        movein_note_readiness(move_in=move_in, by=by)


def movein_ready_done(move_in: MoveIn) -> None:
    """Confirmed or cancelled: the supervisors' "ready" notices are answered; mark them read."""
    Notification.objects.filter(dedup_key__startswith=f"{_ready_key(move_in)}-", read_at__isnull=True).update(
        read_at=timezone.now()
    )
