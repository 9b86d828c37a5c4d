"""Shared by the arrears tests: the default schedule and overdue bills."""

from datetime import timedelta

from django.utils import timezone

from billing.arrears_models import ReminderStep
from tests.billing.helpers import issue_bill

DEFAULT_STEPS = ((-3, "到期前提醒"), (0, "到期日提醒"), (7, "逾期7天"), (15, "逾期15天"), (30, "逾期30天"))


def ensure_schedule() -> list[ReminderStep]:
    """The seeded schedule (a transactional test elsewhere in the run may have emptied it)."""
    steps = []
    for offset, name in DEFAULT_STEPS:
        step, _ = ReminderStep.objects.get_or_create(
            offset_days=offset, defaults={"name": name, "channels": ["inapp", "email", "sms"]}
        )
        steps.append(step)
    return steps


def overdue_bill(tenant, by, days: int, amount="1000.00"):
    """A bill of ``tenant`` whose due date was ``days`` days ago (negative: still to come)."""
    today = timezone.localdate()
    due = today - timedelta(days=days)
    return issue_bill(tenant, by, amount, issued_on=min(due, today) - timedelta(days=10), due_date=due)
