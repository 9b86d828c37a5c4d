"""Closures at the same instant: each is counted once in its month's sample (no two share a
k), and two sign-offs of one ticket at once give one closure and one rating."""

import pytest
from django.contrib.auth import get_user_model

from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from repairs import services
from repairs.models import RepairRating, RepairTicket
from tests.concurrency import run_at_once
from tests.repairs.feedback_helpers import completed, scores, water_category

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_closures_at_once_count_ten_distinct_places_in_the_sample(desk, engineer, tenant_a, tenant_a_admin):
    category = water_category()
    pks = [completed(desk, engineer, category, tenant=tenant_a).pk for _ in range(10)]
    admin_pk = tenant_a_admin.pk

    def prepare(i):
        return RepairTicket.objects.select_related("category").get(pk=pks[i]), get_user_model().objects.get(pk=admin_pk)

    results = run_at_once(10, prepare, lambda i, p: services.sign_off(p[0], by=p[1], **scores()))
    assert all(isinstance(r, RepairRating) for r in results), results
    ks = sorted(
        int(reason.removeprefix("sample:"))
        for reason in AuditEvent.objects.filter(action="repair.visit_chosen").values_list(
            "data__visit_reason", flat=True
        )
    )
    # k = 1..10 each once: the chosen ones are exactly those sampled() picks, ceil(0.3 · 10) = 3.
    assert ks == [k for k in range(1, 11) if services.sampled(k)] == [1, 4, 7]
    assert FollowUp.objects.count() == 3


def test_two_sign_offs_of_one_ticket_at_once_close_it_once(desk, engineer, tenant_a, tenant_a_admin):
    ticket = completed(desk, engineer, water_category(), tenant=tenant_a)
    admin_pk = tenant_a_admin.pk

    def prepare(i):
        return RepairTicket.objects.select_related("category").get(pk=ticket.pk), get_user_model().objects.get(
            pk=admin_pk
        )

    results = run_at_once(
        2, prepare, lambda i, p: services.sign_off(p[0], by=p[1], **scores(satisfied=bool(i), comment="x"))
    )
    assert sum(isinstance(r, RepairRating) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 1, results
    assert RepairRating.objects.filter(ticket=ticket).count() == 1
    assert RepairTicket.objects.get(pk=ticket.pk).status in ("closed", "dispatched")
