"""Telling a tenant about one of its records."""

from collections.abc import Callable, Sequence
from typing import Any

from jinyuan.workflow.services import Message, notify, notify_many

from ..models import Membership
from ..selectors import tenant_admins


def notify_tenant(
    record: Any, *, message: str = "", args: dict | None = None, title: str = "", event: str, url: str
) -> None:
    """Tell the tenant's portal admins about ``record`` (a TenantOwned record), and its
    applicant while still an active member of the company. Once per record and ``event``.
    ``message`` is a msgid (``gettext_noop``) with ``args``, rendered in each reader's language."""
    recipients = {u.pk: u for u in tenant_admins(record.tenant)}
    applicant_id = getattr(record, "applicant_id", None)
    if (
        applicant_id
        and applicant_id not in recipients
        and Membership.objects.filter(user_id=applicant_id, tenant_id=record.tenant_id, is_active=True).exists()
    ):
        recipients[applicant_id] = record.applicant
    notify(
        recipients.values(),
        message=message or title,
        args=args,
        url=url,
        dedup_key=f"{record.audit_prefix}-{record.pk}-{event}",
    )


def notify_tenants(
    records: Sequence[Any],
    *,
    message: str,
    args: Callable[[Any], dict],
    event: str,
    url: Callable[[Any], str],
) -> list[int]:
    """``notify_tenant`` for a batch of records without an applicant (a run's bills): the
    portal admins of each record's tenant, read in one query, told in one INSERT; once per
    record and ``event`` as there."""
    tenant_ids = {r.tenant_id for r in records}
    admins: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        tenant_id__in=tenant_ids, role=Membership.Role.ADMIN, is_active=True, user__is_active=True
    ).values_list("tenant_id", "user_id")
    for tenant_id, user_id in rows.order_by("tenant_id", "user_id"):
        admins.setdefault(tenant_id, []).append(user_id)
    return notify_many(
        Message(user_id, message, args(r), url(r), f"{r.audit_prefix}-{r.pk}-{event}")
        for r in records
        for user_id in admins.get(r.tenant_id, ())
    )
