"""Who may open the follow-up worklist and record a call: the customer service desk and
supervisors; a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
)

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:followups:followup_list", DESK_ROLES_PAGE),
    Page("desk:followups:followup_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:followups:followup_record", DESK_ROLES_PAGE, "followup"),
]


@pytest.fixture
def records(tenant_a, tenant_b_admin, tenant_a_admin, tenant_a_staff, desk):
    return {"followup": factories.make_followup(tenant_a, desk, days=-1)}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("engineer", FORBIDDEN),
        ("guard", FORBIDDEN),
        ("finance", FORBIDDEN),
        ("tenant_a_admin", FORBIDDEN),
        ("anonymous", LOGIN_REDIRECT),
    ],
)
def test_a_refused_recording_changes_nothing(persona, records, who, status):
    followup = records["followup"]
    url = reverse("desk:followups:followup_record", args=[followup.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, {"result": "dissatisfied", "channel": "phone", "comments": "x"})
    assert_refused(response, url, status, who)
    assert FollowUp.objects.get(pk=followup.pk).status == FollowUp.Status.OPEN
    assert AuditEvent.objects.count() == events


def test_an_unknown_follow_up_is_404(client_for, desk):
    assert client_for(desk).get(reverse("desk:followups:followup_record", args=[987654])).status_code == 404
