"""Telling a tenant about one of its records."""

from typing import Any

from jinyuan.workflow.services import notify

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
