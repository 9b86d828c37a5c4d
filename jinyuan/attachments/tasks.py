from celery import shared_task
from django.utils import timezone

from jinyuan.privacy import personal_data_purge


@shared_task(name="privacy.purge_personal_data")
def purge_personal_data() -> int:
    """Daily: delete ID scans and photos past retention. Safe to run twice: purged rows are
    marked and skipped."""
    return personal_data_purge(timezone.now())
