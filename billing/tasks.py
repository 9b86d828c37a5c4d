from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from .services import monthly_bills_issue


def _system_user():
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


@shared_task(name="billing.issue_monthly_bills")
def issue_monthly_bills(year: int | None = None, month: int | None = None) -> int:
    """Bill the current month (by default). Safe to run twice: billed tenants are skipped."""
    today = timezone.localdate()
    system = _system_user()
    if system is None:
        return 0
    return monthly_bills_issue(year=year or today.year, month=month or today.month, by=system)


@shared_task(name="billing.send_arrears_reminders")
def send_arrears_reminders() -> int:
    """The reminder schedule 催缴 and broken promises to pay. Safe to run twice or at once."""
    from .arrears import broken_promises_remind, reminders_send

    return reminders_send() + broken_promises_remind()


@shared_task(name="billing.bill_late_fees")
def bill_late_fees() -> int:
    """The month-end run of late fees 违约金 (daily: months already billed are skipped, and a
    missed first of the month is caught up the next day). Returns the bills issued."""
    from .latefee_services import late_fees_bill_all

    system = _system_user()
    if system is None:
        return 0
    return late_fees_bill_all(by=system)


@shared_task(name="billing.bill_late_fees_at_payoff")
def bill_late_fees_at_payoff(tenant_id: int, by_id: int | None = None) -> bool:
    """A bill was paid off late: bill its late fee now. Safe to run twice."""
    from tenants.models import Tenant

    from .latefee_services import late_fees_bill

    tenant = Tenant.objects.filter(pk=tenant_id).first()
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    by = by or _system_user()
    if tenant is None or by is None:
        return False
    return late_fees_bill(tenant=tenant, by=by) is not None


@shared_task(name="billing.render_notice_batch", autoretry_for=(OSError,), max_retries=3, retry_backoff=True)
def render_notice_batch(batch_id: int) -> bool:
    """The PDF of a building's or floor's notices. Safe to run twice."""
    from .arrears import notice_batch_render
    from .arrears_models import NoticeBatch

    batch = NoticeBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return False
    return notice_batch_render(batch=batch)


@shared_task(name="billing.bill_utilities")
def bill_utilities(round_id: int, by_id: int | None = None) -> int:
    """Bill a confirmed reading round 水电费 (billing.utilities). Safe to run twice: a round is
    billed once. Returns the bills issued by this run."""
    from tenants.models import ReadingRound

    from .utilities import utility_bills_issue

    reading_round = ReadingRound.objects.filter(pk=round_id).first()
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    by = by or _system_user()
    if reading_round is None or by is None:
        return 0
    return len(utility_bills_issue(reading_round=reading_round, by=by))
