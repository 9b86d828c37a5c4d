"""Who may open the worker pass pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.documents.models import Document
from permits.models import WorkerPass
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
)
from tests.permits.conftest import worker

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:worker_pass_list", DESK_PAGE),
    Page("desk:permits:worker_pass_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:worker_pass_detail", DESK_PAGE, "worker_pass"),
    Page("desk:permits:worker_pass_badge", DESK_PAGE, "worker_pass"),
    Page("desk:permits:renovation_passes", DESK_PAGE, "renovation_in_works"),
    Page("desk:permits:renovation_badges", DESK_PAGE, "renovation_in_works"),
    Page("desk:permits:worker_pass_new", DESK_ROLES_PAGE, "renovation_in_works"),
    Page("portal:permits:worker_pass_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:worker_pass_detail", GRANTED_TENANT_A_RECORD, "worker_pass"),
]


@pytest.fixture
def records(works, desk):
    from permits import passes

    class Records(dict):
        def __missing__(self, key):
            if key == "renovation_in_works":
                value = works
            else:
                value = passes.worker_pass_issue(renovation=works, by=desk, **worker())
            self[key] = value
            return value

    return Records()


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "report_lost", LOGIN_REDIRECT),
        ("guard", "report_lost", FORBIDDEN),
        ("engineer", "give_back", FORBIDDEN),
        ("finance", "report_lost", FORBIDDEN),
        ("tenant_a_admin", "give_back", FORBIDDEN),
        ("desk", "suspend", FORBIDDEN),  # only the renovation's workflow suspends
        ("desk", "void", FORBIDDEN),
    ],
)
def test_a_refused_desk_post_changes_nothing(persona, records, who, action, status):
    worker_pass = records["worker_pass"]
    url = reverse("desk:permits:worker_pass_detail", args=[worker_pass.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "遗失"})
    assert_refused(response, url, status, who)
    worker_pass.refresh_from_db()
    assert worker_pass.status == WorkerPass.Status.ISSUED
    assert worker_pass.document.status == Document.Status.VALID


@pytest.mark.parametrize("who", ["anonymous", "guard", "engineer", "tenant_a_admin"])
def test_a_refused_issue_post_issues_nothing(persona, records, who):
    from tests.permits.conftest import id_number

    url = reverse("desk:permits:worker_pass_new", args=[records["renovation_in_works"].pk])
    data = {**worker(7), "id_number": id_number(7)}
    response = client_as(persona, who).post(url, data)
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    assert not WorkerPass.objects.exists()
