"""Who may open the renovation pages (the access matrix) and a refused POST changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow.models import AuditEvent
from renovation import extensions
from renovation.models import Extension, Renovation
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    PORTAL_ADMIN_PAGE,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
    desk_page,
)
from tests.renovation.data import deduction_for, order_for

pytestmark = pytest.mark.django_db

INSPECTOR_PAGE = desk_page("engineer", "guard", "supervisor")

PAGES = [
    Page("desk:renovation:renovation_list", DESK_PAGE),
    Page("desk:renovation:renovation_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:renovation:renovation_detail", DESK_PAGE, "renovation_applied"),
    Page("desk:renovation:renovation_permit", DESK_PAGE, "renovation_in_works"),
    Page("desk:renovation:renovation_new", DESK_ROLES_PAGE, "tenant"),
    Page("desk:renovation:inspection_new", INSPECTOR_PAGE, "renovation_in_works"),
    Page("desk:renovation:inspection_list", DESK_PAGE),
    Page("desk:renovation:inspection_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:renovation:order_list", DESK_PAGE),
    Page("desk:renovation:order_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:renovation:order_pdf", DESK_PAGE, "rectification_order"),
    Page("portal:renovation:order_pdf", GRANTED_TENANT_A_RECORD, "rectification_order"),
    Page("desk:renovation:deduction_new", desk_page("engineer", "guard"), "renovation_in_works"),
    Page("desk:renovation:deduction_detail", DESK_PAGE, "deduction"),
    Page("portal:renovation:renovation_list", GRANTED_PORTAL_PAGE),
    Page("portal:renovation:renovation_new", PORTAL_ADMIN_PAGE),
    Page("portal:renovation:renovation_detail", GRANTED_TENANT_A_RECORD, "renovation_applied"),
    Page("portal:renovation:renovation_permit", GRANTED_TENANT_A_RECORD, "renovation_in_works"),
    Page(
        "portal:renovation:renovation_correct", {**PORTAL_ADMIN_PAGE, "tenant_b_admin": MISSING}, "renovation_returned"
    ),
    # a returned application corrected by the desk for the company
    Page("desk:renovation:renovation_correct", DESK_ROLES_PAGE, "renovation_returned"),
    # extensions 延期
    Page("desk:renovation:extension_new", DESK_ROLES_PAGE, "renovation_in_works"),
    Page("desk:renovation:extension_detail", DESK_PAGE, "extension"),
    Page("portal:renovation:extension_new", {**PORTAL_ADMIN_PAGE, "tenant_b_admin": MISSING}, "renovation_in_works"),
    Page("portal:renovation:extension_detail", GRANTED_TENANT_A_RECORD, "extension"),
]


@pytest.fixture
def records(request, tenant_a, tenant_a_admin, tenant_a_staff, tenant_b_admin, make_renovation, engineer):
    def make(key):
        Renovation.objects.update(status=Renovation.Status.WITHDRAWN)  # one live per unit
        if key == "deduction":
            return deduction_for(make_renovation("in_works", planned_start=timezone.localdate()), engineer)
        if key == "extension":
            r = make_renovation("in_works", planned_start=timezone.localdate())
            return extensions.extension_apply(
                renovation=r, by=tenant_a_admin, new_end=r.granted_end + timedelta(days=30), reason="材料延迟"
            )
        if key == "rectification_order":
            return order_for(make_renovation("in_works", planned_start=timezone.localdate()), engineer)
        key = key.removeprefix("renovation_")
        if key == "in_works":
            return make_renovation("in_works", planned_start=timezone.localdate())
        return make_renovation(key)

    class Records(dict):
        def __missing__(self, key):
            value = self[key] = tenant_a if key == "tenant" else make(key)
            return value

    return Records()


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "pass_engineering", LOGIN_REDIRECT),
        ("guard", "pass_engineering", FORBIDDEN),
        ("desk", "pass_engineering", FORBIDDEN),
        ("engineer", "pass_security", FORBIDDEN),
        ("engineer", "approve", FORBIDDEN),
        ("tenant_a_admin", "pass_engineering", FORBIDDEN),
        ("engineer", "withdraw", FORBIDDEN),
    ],
)
def test_a_refused_desk_post_changes_nothing(persona, make_renovation, who, action, status):
    renovation = make_renovation("applied")
    url = reverse("desk:renovation:renovation_detail", args=[renovation.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, {"action": action, "note": "x"})
    assert_refused(response, url, status, who)
    assert Renovation.objects.get(pk=renovation.pk).status == Renovation.Status.APPLIED
    assert AuditEvent.objects.count() == events


def test_another_tenants_renovation_and_permit_are_404(client_for, make_renovation, tenant_b_admin):
    renovation = make_renovation("in_works", planned_start=timezone.localdate())
    client = client_for(tenant_b_admin)
    for name in ("renovation_detail", "renovation_permit", "renovation_correct"):
        assert client.get(reverse(f"portal:renovation:{name}", args=[renovation.pk])).status_code == 404
    response = client.post(reverse("portal:renovation:renovation_detail", args=[renovation.pk]), {"action": "withdraw"})
    assert response.status_code == 404


def test_another_tenants_drawings_are_404(client_for, make_renovation, tenant_b_admin, tenant_a_admin, engineer):
    from jinyuan.attachments.selectors import attachments_of

    drawing = attachments_of(make_renovation("applied")).first()
    url = reverse("attachments:file", args=[drawing.pk])
    assert client_for(tenant_b_admin).get(url).status_code == 404
    assert client_for(tenant_a_admin).get(url).status_code == 200
    assert client_for(engineer).get(url).status_code == 200


@pytest.mark.parametrize("who", ["engineer", "guard", "desk", "tenant_a_admin"])
def test_only_the_supervisor_stops_works_through_the_page(persona, make_renovation, who):
    renovation = make_renovation("in_works", planned_start=timezone.localdate())
    url = reverse("desk:renovation:renovation_detail", args=[renovation.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, {"action": "stop_works", "note": "私拉电线"})
    assert_refused(response, url, FORBIDDEN, who)
    assert Renovation.objects.get(pk=renovation.pk).status == Renovation.Status.IN_WORKS
    assert AuditEvent.objects.count() == events


def test_another_tenants_rectification_order_is_404(client_for, make_renovation, engineer, tenant_b_admin):
    order = order_for(make_renovation("in_works", planned_start=timezone.localdate()), engineer)
    response = client_for(tenant_b_admin).get(reverse("portal:renovation:order_pdf", args=[order.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "approve", LOGIN_REDIRECT),
        ("desk", "approve", FORBIDDEN),
        ("engineer", "approve", FORBIDDEN),
        ("finance", "reject", FORBIDDEN),
        ("tenant_a_admin", "approve", FORBIDDEN),
        ("guard", "withdraw", FORBIDDEN),
    ],
)
def test_a_refused_extension_post_changes_nothing(persona, make_renovation, tenant_a_admin, who, action, status):
    r = make_renovation("in_works", planned_start=timezone.localdate())
    ext = extensions.extension_apply(
        renovation=r, by=tenant_a_admin, new_end=r.granted_end + timedelta(days=30), reason="材料延迟"
    )
    url = reverse("desk:renovation:extension_detail", args=[ext.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, {"action": action, "note": "x"})
    assert_refused(response, url, status, who)
    assert Extension.objects.get(pk=ext.pk).status == Extension.Status.APPLIED
    assert AuditEvent.objects.count() == events


def test_another_tenants_extension_is_404(client_for, make_renovation, tenant_a_admin, tenant_b_admin):
    r = make_renovation("in_works", planned_start=timezone.localdate())
    ext = extensions.extension_apply(
        renovation=r, by=tenant_a_admin, new_end=r.granted_end + timedelta(days=30), reason="材料延迟"
    )
    client = client_for(tenant_b_admin)
    assert client.get(reverse("portal:renovation:extension_detail", args=[ext.pk])).status_code == 404
    assert (
        client.post(reverse("portal:renovation:extension_detail", args=[ext.pk]), {"action": "withdraw"}).status_code
        == 404
    )
    assert client.get(reverse("portal:renovation:extension_new", args=[r.pk])).status_code == 404
    assert Extension.objects.get(pk=ext.pk).status == Extension.Status.APPLIED
