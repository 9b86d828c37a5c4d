"""Bills and the archive are for the tenant's admins and the staff they open them to."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from tenants import grants, services
from tenants.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def _membership(user) -> Membership:
    return Membership.objects.get(user=user)


def _grant(user, *areas: str) -> None:
    Membership.objects.filter(user=user).update(areas=list(areas))


@pytest.mark.parametrize(
    ("areas", "status"),
    [
        pytest.param((), 403, id="staff-without-the-grant-refused"),
        pytest.param(("archive", "bills"), 200, id="granted"),
    ],
)
def test_staff_open_the_archive_and_bills_only_with_the_grant(
    client_for, tenant_a, tenant_a_staff, desk, areas, status
):
    item = factories.make_archive_file(tenant_a, desk, kind="contact_id")
    bill = factories.make_bill(tenant_a, desk)
    _grant(tenant_a_staff, *areas)
    client = client_for(tenant_a_staff)
    # The archive's files are served by the attachment view: a file one may not see is a 404.
    assert client.get(reverse("attachments:file", args=[item.pk])).status_code == (200 if areas else 404)
    assert client.get(reverse("portal:billing:billing_home")).status_code == status
    assert client.get(reverse("portal:billing:bill_detail", args=[bill.pk])).status_code == status


def test_one_grant_opens_only_its_area(client_for, tenant_a, tenant_a_staff, desk):
    item = factories.make_archive_file(tenant_a, desk)
    _grant(tenant_a_staff, "bills")
    client = client_for(tenant_a_staff)
    assert client.get(reverse("portal:billing:billing_home")).status_code == 200
    assert client.get(reverse("attachments:file", args=[item.pk])).status_code == 404


def test_portal_home_hides_what_staff_cannot_open(client_for, tenant_a, tenant_a_staff, tenant_a_admin, desk):
    item = factories.make_archive_file(tenant_a, desk)
    archive_url = reverse("attachments:file", args=[item.pk])
    bills_url = reverse("portal:billing:billing_home")
    staff_page = client_for(tenant_a_staff).get(reverse("portal:home")).content.decode()
    assert archive_url not in staff_page
    assert f'href="{bills_url}"' not in staff_page  # the price list below it is open to all
    assert reverse("portal:tenants:grants") not in staff_page
    admin_page = client_for(tenant_a_admin).get(reverse("portal:home")).content.decode()
    assert archive_url in admin_page
    assert bills_url in admin_page
    assert reverse("portal:tenants:grants") in admin_page


def test_admin_ticks_areas_for_a_staff_member(client_for, tenant_a, tenant_a_admin, tenant_a_staff):
    staff = _membership(tenant_a_staff)
    response = client_for(tenant_a_admin).post(
        reverse("portal:tenants:grants"), {f"areas-{staff.pk}": ["archive", "bills"]}
    )
    assert response.status_code == 302
    assert sorted(_membership(tenant_a_staff).areas) == ["archive", "bills"]
    events = AuditEvent.objects.filter(object_id=tenant_a.pk, action="tenant.grant_given")
    assert sorted(e.data["area"] for e in events) == ["archive", "bills"]
    assert {e.actor_id for e in events} == {tenant_a_admin.pk}


def test_unticking_withdraws_the_grant_with_an_event(client_for, tenant_a, tenant_a_admin, tenant_a_staff):
    _grant(tenant_a_staff, "archive", "bills")
    client_for(tenant_a_admin).post(
        reverse("portal:tenants:grants"), {f"areas-{_membership(tenant_a_staff).pk}": ["bills"]}
    )
    assert _membership(tenant_a_staff).areas == ["bills"]
    withdrawn = AuditEvent.objects.get(object_id=tenant_a.pk, action="tenant.grant_withdrawn")
    assert withdrawn.data == {"user": tenant_a_staff.username, "area": "archive"}


def test_saving_the_same_ticks_again_records_nothing(client_for, tenant_a_admin, tenant_a_staff):
    data = {f"areas-{_membership(tenant_a_staff).pk}": ["bills"]}
    client = client_for(tenant_a_admin)
    client.post(reverse("portal:tenants:grants"), data)
    count = AuditEvent.objects.count()
    client.post(reverse("portal:tenants:grants"), data)
    assert AuditEvent.objects.count() == count


def test_an_unknown_area_is_refused_with_a_message(client_for, tenant_a_admin, tenant_a_staff):
    staff = _membership(tenant_a_staff)
    response = client_for(tenant_a_admin).post(reverse("portal:tenants:grants"), {f"areas-{staff.pk}": ["vault"]})
    assert response.status_code == 400
    assert "vault" in response.content.decode()
    assert _membership(tenant_a_staff).areas == []


def test_another_company_admin_sees_and_changes_only_its_own_users(client_for, tenant_b_admin, tenant_a_staff):
    client = client_for(tenant_b_admin)
    page = client.get(reverse("portal:tenants:grants")).content.decode()
    assert tenant_b_admin.username in page
    assert tenant_a_staff.username not in page
    client.post(reverse("portal:tenants:grants"), {f"areas-{_membership(tenant_a_staff).pk}": ["archive"]})
    assert _membership(tenant_a_staff).areas == []


def test_an_admin_has_nothing_to_grant(tenant_a_admin):
    with pytest.raises(ValidationError) as refused:
        services.member_set_areas(membership=_membership(tenant_a_admin), areas={"bills"}, by=tenant_a_admin)
    assert "areas" in refused.value.error_dict
    assert _membership(tenant_a_admin).areas == []


def test_areas_are_declared_by_the_apps_that_own_them():
    assert {"archive", "bills"} <= {a.code for a in grants.areas()}
    grants.register_area("passes", "Passes")
    try:
        assert grants.is_area("passes")
    finally:
        grants._AREAS.pop("passes")


def test_tenant_files_attached_to_the_company_follow_the_archive_grant(client_for, tenant_a, tenant_a_staff, desk):
    photo = factories.make_attachment(tenant_a, desk)
    url = reverse("attachments:file", args=[photo.pk])
    assert client_for(tenant_a_staff).get(url).status_code == 404
    _grant(tenant_a_staff, "archive")
    assert client_for(tenant_a_staff).get(url).status_code == 200


def test_the_access_page_makes_the_same_queries_with_one_staff_member_and_with_many(
    client_for, tenant_a, tenant_a_admin, tenant_a_staff
):
    client = client_for(tenant_a_admin)
    url = reverse("portal:tenants:grants")
    client.get(url)  # warm up

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    for i in range(8):
        factories.MembershipFactory(user=factories.UserFactory(username=f"a_staff_{i}"), tenant=tenant_a, role="staff")
    assert count() == one == 4  # session, user, membership, members
