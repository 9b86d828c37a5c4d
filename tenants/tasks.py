"""Periodic work of the tenants app: load, call a service, nothing else."""

from celery import shared_task

from .services.lifecycle import portal_access_close_due


@shared_task(name="tenants.close_portal_access_due")
def close_portal_access_due() -> int:
    """A move-out dated in the future closes the company's portal access on its date (daily;
    idempotent: a company already closed is skipped)."""
    return portal_access_close_due()
