"""The desk's follow-up worklist (/desk/followups/) and the form that records a call."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.followups import services
from jinyuan.followups.models import FollowUp
from tests import factories
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = reverse("desk:followups:followup_list")


def schedule(record, by, days: int = 0) -> FollowUp:
    return services.followup_schedule(record=record, due=timezone.localdate() + timedelta(days=days), by=by)


def test_the_worklist_shows_due_and_overdue_calls_only(client_for, desk, tenant_a, tenant_b):
    schedule(tenant_a, desk, days=-2)
    schedule(tenant_b, desk, days=3)
    response = client_for(desk).get(LIST)
    assert response.status_code == 200
    assert [f.record for f in response.context["object_list"]] == [tenant_a]
    upcoming = client_for(desk).get(LIST, {"due": "upcoming"})
    assert [f.record for f in upcoming.context["object_list"]] == [tenant_b]


def test_the_worklist_exports_to_excel(client_for, desk, tenant_a):
    schedule(tenant_a, desk)
    response = client_for(desk).get(LIST, {"due": "all", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="follow-up-register-')


def test_recording_from_the_desk(client_for, desk, tenant_a):
    followup = schedule(tenant_a, desk)
    url = reverse("desk:followups:followup_record", args=[followup.pk])
    assert client_for(desk).get(url).status_code == 200
    response = client_for(desk).post(url, {"result": "fairly_satisfied", "channel": "phone", "comments": "ok"})
    assert response.status_code == 302 and response["Location"] == LIST
    followup.refresh_from_db()
    assert (followup.status, followup.result) == ("done", "fairly_satisfied")


def test_dissatisfied_without_comments_is_a_message_beside_the_field(client_for, desk, tenant_a):
    followup = schedule(tenant_a, desk)
    url = reverse("desk:followups:followup_record", args=[followup.pk])
    clerk = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    response = clerk.post(url, {"result": "dissatisfied", "channel": "phone", "comments": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"comments": ["Note what the tenant is dissatisfied with."]}
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.OPEN


def test_recording_a_closed_one_again_is_a_notice(client_for, desk, supervisor, tenant_a):
    followup = schedule(tenant_a, desk)
    services.followup_record(followup=followup, result="satisfied", channel="phone", by=desk)
    url = reverse("desk:followups:followup_record", args=[followup.pk])
    response = client_for(supervisor).post(url, {"result": "dissatisfied", "channel": "sms", "comments": "x"})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.result == "satisfied"


@pytest.mark.parametrize("who", ["guard", "engineer", "finance", "tenant_a_admin"])
def test_other_roles_may_not_record(client_for, persona, desk, tenant_a, who):
    followup = schedule(tenant_a, desk)
    url = reverse("desk:followups:followup_record", args=[followup.pk])
    assert client_for(persona(who)).post(url, {"result": "satisfied", "channel": "phone"}).status_code == 403
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.OPEN


def _due_rows(ctx, n):
    for _ in range(n):
        schedule(factories.TenantFactory(), ctx["desk"], days=-1)


def test_worklist_query_count_is_fixed(request, query_ctx, client_for):
    case = Case("desk", lambda ctx: LIST, _due_rows, queries=5)
    assert_fixed_queries(request, query_ctx, client_for, "followup_list", case)
