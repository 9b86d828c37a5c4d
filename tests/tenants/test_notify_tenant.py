"""notify_tenant: the tenant's portal admins hear of a record, and its applicant while still an
active member of the company; once per record and event."""

import pytest

from jinyuan.workflow.models import Notification
from tenants.models import Membership
from tenants.services import notify_tenant

pytestmark = pytest.mark.django_db


def recipients(title: str) -> set[str]:
    return set(Notification.objects.filter(message=title).values_list("recipient__username", flat=True))


def test_admins_and_the_applicant_are_told_once(make_certificate, tenant_a_admin, tenant_a_staff):
    cert = make_certificate("submitted", applicant=tenant_a_staff)
    for _ in range(2):
        notify_tenant(cert, title="出具通知", event="test", url="/portal/")
    assert recipients("出具通知") == {"a_admin", "a_staff"}
    assert Notification.objects.filter(message="出具通知").count() == 2


def test_an_applicant_who_left_the_company_is_not_told(make_certificate, tenant_a_admin, tenant_a_staff):
    cert = make_certificate("submitted", applicant=tenant_a_staff)
    Membership.objects.filter(user=tenant_a_staff).update(is_active=False)
    notify_tenant(cert, title="驳回通知", event="test", url="/portal/")
    assert recipients("驳回通知") == {"a_admin"}
