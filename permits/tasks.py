"""Periodic work of the permits app: load, call a service, nothing else."""

from celery import shared_task

from .release_notes import release_notes_expire


@shared_task(name="permits.expire_release_notes")
def expire_release_notes() -> int:
    """Issued release notes whose day has ended become expired, one audit event each (hourly;
    a second run, also at the same moment, expires nothing twice)."""
    return release_notes_expire()
