"""Writes of announcements 公告: draft, edit, approve, publish (at its time, once), expire,
withdraw, a company's and a user's read receipt, the desk's call to a company that has not
read an urgent one, and the notifications to the addressed companies' portal users.

Every write runs in ``transaction.atomic``; state changes go through the kernel's
``transition`` (compare-and-swap and the audit event).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.attachments.services import attachment_add
from jinyuan.workflow.services import Message, TransitionRefused, notify_many, record_event, transition
from tenants.models import Building, Floor, Membership, Occupancy, Tenant
from tenants.selectors import current_q

from .models import Announcement, AnnouncementCall, AnnouncementRead, AnnouncementReceipt

# Channels besides in-app: e-mail where the user chose it; an urgent one by every channel the
# kernel has (each user's profile still decides which they receive).
CHANNELS = ("email",)
URGENT_CHANNELS = ("email", "sms")
# How many announcements one beat run publishes or expires (the rest wait for the next run).
BEAT_BATCH = 50

URGENT_MESSAGE = gettext_noop("Urgent announcement: %(title)s")
MESSAGE = gettext_noop("Announcement: %(title)s")


def _clean(
    *,
    title: str,
    text: str,
    category: str,
    urgent: bool,
    audience: str,
    publish_at: dt.datetime | None,
    expires_at: dt.datetime | None,
    building: Building | None = None,
    floors: Sequence[Floor] = (),
    tenants: Sequence[Tenant] = (),
) -> tuple[dict[str, Any], list[Floor], list[Tenant]]:
    """The rules of an announcement's content, every broken one a field error together; the
    row's fields, and the floors and chosen companies its audience keeps."""
    errors: dict[str, str] = {}
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors["title"] = _("Please give a title.")
    if not text:
        errors["text"] = _("Please write the text of the announcement.")
    if audience not in Announcement.Audience.values:
        errors["audience"] = _("Please choose who the announcement is for.")
    if audience in (Announcement.Audience.BUILDING, Announcement.Audience.FLOORS) and building is None:
        errors["building"] = _("Please choose the building.")
    if audience == Announcement.Audience.FLOORS:
        if not floors:
            errors["floors"] = _("Please choose at least one floor.")
        elif building is not None and any(f.building_id != building.pk for f in floors):
            errors["floors"] = _("Every floor must be in the building chosen.")
    if audience == Announcement.Audience.TENANTS and not tenants:
        errors["tenants"] = _("Please choose at least one tenant.")
    if publish_at is None:
        errors["publish_at"] = _("Please give the publish time.")
    if expires_at is None:
        errors["expires_at"] = _("Please give the expiry time.")
    elif publish_at is not None and expires_at <= publish_at:
        errors["expires_at"] = _("The expiry must be after the publish time.")
    elif expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry time has passed.")
    if errors:
        raise ValidationError(errors)
    keeps_building = audience in (Announcement.Audience.BUILDING, Announcement.Audience.FLOORS)
    fields = {
        "title": title,
        "text": text,
        "category": category,
        "urgent": bool(urgent),
        "audience": audience,
        "building": building if keeps_building else None,
        "publish_at": publish_at,
        "expires_at": expires_at,
    }
    kept_floors = list(floors) if audience == Announcement.Audience.FLOORS else []
    kept_tenants = list(tenants) if audience == Announcement.Audience.TENANTS else []
    return fields, kept_floors, kept_tenants


def _write(obj: Announcement, *, by: Any, floors: list, tenants: list, files: Iterable[Any], event: str) -> None:
    """What a draft and its change both write besides the row: the audience, the event, the files."""
    obj.floors.set(floors)
    obj.tenants.set(tenants)
    record_event(obj, event, by=by, to_state=obj.status)
    for upload in files:
        attachment_add(record=obj, upload=upload, by=by)


def announcement_draft(*, by: Any, files: Iterable[Any] = (), **content: Any) -> Announcement:
    """The desk drafts an announcement (``content``: the fields of ``_clean``) with its files;
    the supervisor approves it later."""
    fields, floors, tenants = _clean(**content)
    with transaction.atomic():
        obj = Announcement.objects.create(applicant=by, **fields)
        _write(obj, by=by, floors=floors, tenants=tenants, files=files, event="announcement.drafted")
    return obj


def announcement_edit(*, obj: Announcement, by: Any, files: Iterable[Any] = (), **content: Any) -> Announcement:
    """Change a draft (only a draft: what the supervisor approved is what goes out)."""
    fields, floors, tenants = _clean(**content)
    with transaction.atomic():
        # The row is changed only while still a draft (the same compare-and-swap as transitions).
        changed = Announcement.objects.filter(pk=obj.pk, status=Announcement.Status.DRAFT).update(
            updated_at=timezone.now(), **fields
        )
        if not changed:
            raise TransitionRefused(_("Only a draft can be changed."))
        for field, value in fields.items():
            setattr(obj, field, value)
        _write(obj, by=by, floors=floors, tenants=tenants, files=files, event="announcement.edited")
    return obj


def announcement_approve(
    *,
    obj: Announcement,
    by: Any,
    note: str = "",
    now: dt.datetime | None = None,
    seen: Any = ...,
) -> Announcement:
    """The supervisor approves; an announcement whose publish time has come goes out at once,
    a later one waits for the beat (``publish_due``). A second approval is refused.

    ``seen``: the ``updated_at`` of the draft as the supervisor's page showed it (the desk's
    approve button sends it; None: unreadable). A draft edited since is refused, so nothing is
    published that the supervisor did not read. Left out (``...``): no such check (the API)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row as it is now, locked: a draft changed since the page was read is approved and
        # published with its current audience and times, never with the copy held in memory.
        obj = Announcement.objects.select_for_update().get(pk=obj.pk)
        if seen is not ... and obj.status == Announcement.Status.DRAFT and seen != obj.updated_at:
            raise ValidationError(
                _("The draft was changed after you opened it: read it again, then approve."), code="stale"
            )
        if obj.status == Announcement.Status.DRAFT and obj.expires_at <= now:
            raise ValidationError({"note": _("The expiry time has passed: change the draft first.")})
        transition(obj, "approve", by=by, note=note)
        if obj.publish_at <= now:
            announcement_publish(obj=obj, now=now)
    return obj


def addressed_tenant_ids(obj: Announcement, on: dt.date | None = None) -> list[int]:
    """The companies the announcement reaches now, in name order: those occupying its audience
    (current occupancies), or the chosen ones that are still active."""
    active = Tenant.objects.filter(is_active=True)
    if obj.audience == Announcement.Audience.TENANTS:
        tenants = active.filter(pk__in=obj.tenants.values("pk"))
    else:
        occupancies = Occupancy.objects.filter(current_q(on=on))
        if obj.audience == Announcement.Audience.BUILDING:
            occupancies = occupancies.filter(unit__floor__building_id=obj.building_id)
        elif obj.audience == Announcement.Audience.FLOORS:
            occupancies = occupancies.filter(unit__floor__in=obj.floors.values("pk"))
        tenants = active.filter(pk__in=occupancies.values("tenant_id"))
    return list(tenants.order_by("name", "id").values_list("pk", flat=True))


def announcement_publish(*, obj: Announcement, now: dt.datetime | None = None) -> Announcement:
    """Publish an approved announcement (the system: at approval when due, else the beat):
    fix the companies addressed, one receipt each, and tell their portal users after commit."""
    from .tasks import notify_announcement

    now = now or timezone.now()
    with transaction.atomic():
        tenant_ids = addressed_tenant_ids(obj, on=timezone.localdate(now))
        transition(
            obj,
            "publish",
            by=None,
            changes={"published_at": now, "addressed_count": len(tenant_ids)},
            data={"addressed": len(tenant_ids)},
        )
        # In name order, so the receipts' ids order the desk's lists by company name.
        AnnouncementReceipt.objects.bulk_create(
            [AnnouncementReceipt(announcement=obj, tenant_id=t) for t in tenant_ids], batch_size=2000
        )
        notify_announcement.delay_on_commit(obj.pk)
    return obj


def _claim(qs: QuerySet) -> Announcement | None:
    """One row of ``qs`` locked for this run; rows another run holds are skipped."""
    return qs.select_for_update(skip_locked=True).order_by("publish_at", "id").first()


def publish_due(now: dt.datetime | None = None) -> int:
    """The beat: publish the approved announcements whose time has come, and expire the
    published ones past their expiry. Each once, however many runs overlap."""
    now = now or timezone.now()
    done = 0
    for _i in range(BEAT_BATCH):
        with transaction.atomic():
            obj = _claim(
                Announcement.objects.filter(
                    status=Announcement.Status.APPROVED, publish_at__lte=now, expires_at__gt=now
                )
            )
            if obj is None:
                break
            announcement_publish(obj=obj, now=now)
            done += 1
    for _i in range(BEAT_BATCH):
        with transaction.atomic():
            obj = _claim(
                Announcement.objects.filter(
                    status__in=(Announcement.Status.APPROVED, Announcement.Status.PUBLISHED), expires_at__lte=now
                )
            )
            if obj is None:
                break
            transition(obj, "expire", by=None)
            done += 1
    return done


def announcement_withdraw(*, obj: Announcement, by: Any, note: str) -> Announcement:
    """Withdraw before or after publishing, with a reason: it leaves the portal at once."""
    reason = (note or "").strip()
    limit = Announcement._meta.get_field("withdrawal_reason").max_length
    if limit and len(reason) > limit:
        raise ValidationError({"note": _("Keep the reason to %(max)s characters.") % {"max": limit}})
    return transition(obj, "withdraw", by=by, note=note, changes={"withdrawal_reason": reason})


def announcement_read(
    *, receipt: AnnouncementReceipt, user: Any, now: dt.datetime | None = None
) -> AnnouncementReceipt:
    """A company's user opens the announcement: the user's read receipt (first time only) and
    the company's (its first reader and time, counted once however many read it at once)."""
    now = now or timezone.now()
    with transaction.atomic():
        AnnouncementRead.objects.get_or_create(
            announcement_id=receipt.announcement_id,
            user=user,
            defaults={"tenant_id": receipt.tenant_id, "read_at": now},
        )
        if receipt.first_read_at is None:
            # The UPDATE's condition decides who is first: a second reader at the same moment
            # waits on the row lock and then finds it read.
            first = AnnouncementReceipt.objects.filter(pk=receipt.pk, first_read_at__isnull=True).update(
                first_read_at=now, first_reader=user
            )
            if first:
                Announcement.objects.filter(pk=receipt.announcement_id).update(read_count=F("read_count") + 1)
                receipt.first_read_at, receipt.first_reader = now, user
    return receipt


def announcement_call(
    *,
    receipt: AnnouncementReceipt,
    by: Any,
    result: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> AnnouncementCall:
    """The desk called a company about the announcement: the call, the receipt's last call, and
    an event on the announcement's timeline."""
    if result not in AnnouncementReceipt.CallResult.values:
        raise ValidationError({"result": _("Please choose the result of the call.")})
    if receipt.announcement.status != Announcement.Status.PUBLISHED:
        raise TransitionRefused(_("Calls are recorded only while the announcement is published."))
    now = now or timezone.now()
    note = (note or "").strip()[:300]
    with transaction.atomic():
        call = AnnouncementCall.objects.create(receipt=receipt, called_at=now, called_by=by, result=result, note=note)
        AnnouncementReceipt.objects.filter(pk=receipt.pk).update(last_called_at=now, last_call_result=result)
        receipt.last_called_at, receipt.last_call_result = now, result
        record_event(
            receipt.announcement,
            "announcement.called",
            by=by,
            note=note,
            data={"tenant": receipt.tenant.name, "call_result": result},
        )
    return call


def notify_addressed(announcement_id: int) -> int:
    """Tell the addressed companies' active portal users (in-app, and by the channels they
    chose); once per user, however often it runs. Returns the notifications made now."""
    obj = Announcement.objects.filter(pk=announcement_id).first()
    if obj is None or obj.status != Announcement.Status.PUBLISHED:
        return 0
    users = (
        Membership.objects.filter(tenant_id__in=obj.receipts.values("tenant_id"), is_active=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    url = reverse(Announcement.portal_detail, args=[obj.pk])
    message = URGENT_MESSAGE if obj.urgent else MESSAGE
    created = notify_many(
        (Message(user_id, message, {"title": obj.title}, url, f"announcement-{obj.pk}-published") for user_id in users),
        channels=URGENT_CHANNELS if obj.urgent else CHANNELS,
    )
    return len(created)
