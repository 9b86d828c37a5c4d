"""Periodic work of the permits app: load, call a service, nothing else."""

from celery import shared_task

from .access_passes import expire_due


@shared_task(name="permits.expire_access_passes")
def expire_access_passes() -> int:
    """Issued access cards past their last day become expired (hourly under beat; run twice,
    the second run finds nothing left)."""
    return expire_due()
