"""Periodic work of venues: load, call a service, nothing else."""

from celery import shared_task

from . import rooms


@shared_task(name="venues.mark_no_shows")
def mark_no_shows() -> int:
    """Meeting-room bookings not checked in some minutes after their start become no-shows
    (every 5 minutes under beat; a second run, also at once, marks nothing twice)."""
    return rooms.mark_no_shows()


@shared_task(name="venues.send_reminders")
def send_reminders() -> int:
    """The reminder before a meeting-room booking starts, once per booking."""
    return rooms.send_reminders()
