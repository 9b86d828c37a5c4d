"""The small demo has a month of liaison visits on a quarterly plan partly done, needs open and
done (a few overdue), and emergencies open, closed (one with its repair ticket) and voided."""

import datetime as dt

import pytest
from django.utils import timezone

from demo import services
from frontdesk import liaison_selectors
from frontdesk.models import ActionItem, Emergency, Visit, VisitPlan
from repairs.models import RepairTicket

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_month_of_visits_and_emergencies(db):
    services.seed(services.SCALES["small"])
    now = timezone.now()
    visits = Visit.objects.all()
    assert visits.count() >= 20
    assert visits.filter(visited_at__lt=now - dt.timedelta(days=25)).exists()
    assert visits.filter(visited_at__gte=now - dt.timedelta(days=3)).exists()
    counts = liaison_selectors.plan_counts(VisitPlan.objects.get())
    assert counts["visited"] > 0 and counts["due"] > 0
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == {"open", "done", "cancelled"}
    assert ActionItem.objects.filter(status="open", due_at__lt=now).exists()
    assert set(Emergency.objects.values_list("status", flat=True)) == {"open", "closed", "voided"}
    e = Emergency.objects.get(kind=Emergency.Kind.WATER_LEAK)
    assert RepairTicket.objects.filter(source_id=e.pk, source_type__model="emergency").count() == 1
