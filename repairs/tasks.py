"""Periodic work of the repairs app: load, call a service, nothing else."""

from celery import shared_task

from .services import auto_close_due


@shared_task(name="repairs.close_without_feedback")
def close_without_feedback() -> int:
    """Completed tickets with no feedback in 7 days close, one audit event each (hourly under
    beat; a second run, also at the same moment, closes nothing twice)."""
    return auto_close_due()
