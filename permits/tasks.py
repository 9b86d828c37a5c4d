"""Periodic work of the permits app: load, call a service, nothing else."""

from celery import shared_task

from .access_passes import expire_due
from .release_notes import release_notes_expire


@shared_task(name="permits.expire_release_notes")
def expire_release_notes() -> int:
    """Issued release notes whose day has ended become expired, one audit event each (hourly;
    a second run, also at the same moment, expires nothing twice)."""
    return release_notes_expire()


@shared_task(name="permits.expire_access_passes")
def expire_access_passes() -> int:
    """Issued access cards past their last day become expired (hourly under beat; run twice,
    the second run finds nothing left)."""
    return expire_due()
