"""Who reads which complaint (selectors take the user; anything else is a 404), and an anonymous
complainant is seen by nobody but the user who recorded the complaint: not in the selectors,
not in the follow-up worklist, not in the admin."""

import pytest
from django.http import Http404
from django.urls import reverse

from complaints import selectors, services
from complaints.models import Complaint
from tests import factories

from .helpers import category, in_state, recorded

pytestmark = pytest.mark.django_db


def test_another_company_gets_404(tenant_a, tenant_a_admin, tenant_b_admin, desk):
    complaint = recorded(desk, tenant=tenant_a)
    assert selectors.complaint_for(tenant_a_admin, complaint.pk) == complaint
    with pytest.raises(Http404):
        selectors.complaint_for(tenant_b_admin, complaint.pk)
    assert list(selectors.complaints_for(tenant_b_admin)) == []


def test_a_visitors_complaint_is_no_companys(desk, tenant_a_admin):
    complaint = recorded(desk)
    with pytest.raises(Http404):
        selectors.complaint_for(tenant_a_admin, complaint.pk)


def test_company_staff_see_their_own_and_with_the_grant_the_companys(tenant_a, tenant_a_admin, tenant_a_staff):
    theirs = services.record(by=tenant_a_admin, category=category(), channel="portal", content="卫生间缺纸")
    mine = services.record(by=tenant_a_staff, category=category(), channel="portal", content="门禁卡失灵")
    assert list(selectors.complaints_for(tenant_a_staff)) == [mine]
    with pytest.raises(Http404):
        selectors.complaint_for(tenant_a_staff, theirs.pk)
    membership = tenant_a_staff.membership
    membership.areas = ["complaints"]
    membership.save()
    assert set(selectors.complaints_for(tenant_a_staff)) == {mine, theirs}


def test_department_staff_see_their_departments_complaints_only(desk, supervisor, engineer, guard):
    ours = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    waiting = recorded(desk)
    assert selectors.complaint_for(engineer, ours.pk) == ours
    with pytest.raises(Http404):
        selectors.complaint_for(guard, ours.pk)
    with pytest.raises(Http404):
        selectors.complaint_for(engineer, waiting.pk)
    assert set(selectors.complaints_for(desk)) == set(selectors.complaints_for(supervisor)) == {ours, waiting}


def test_anonymous_complainant_is_shown_only_to_the_recording_desk(desk, supervisor, tenant_a):
    other_clerk = factories.UserFactory(username="desk2", roles=["front_desk"])
    complaint = recorded(desk, anonymous=True, tenant=tenant_a)
    seen = selectors.complainant_for(complaint, desk)
    assert not seen.hidden and seen.name == "王建国" and seen.phone == "13877110001"
    for reader in (other_clerk, supervisor):
        hidden = selectors.complainant_for(complaint, reader)
        assert hidden.hidden and hidden.phone == "" and hidden.email == "" and "王" not in hidden.label
    assert "王建国" not in complaint.followup_contact and "13877110001" not in complaint.followup_contact


def test_a_named_complainants_phone_is_masked_in_lists(desk, supervisor):
    complaint = recorded(desk)
    assert selectors.complainant_for(complaint, supervisor, in_list=True).phone == "138****0001"
    assert selectors.complainant_for(complaint, supervisor).phone == "13877110001"


def test_a_portal_complainant_filing_anonymously_stays_off_the_timeline(tenant_a_admin, desk):
    from jinyuan.workflow.models import AuditEvent

    complaint = services.record(
        by=tenant_a_admin, category=category(), channel="portal", content="保安态度差", anonymous=True
    )
    assert complaint.complainant_name == "" and complaint.complainant_email == ""
    assert AuditEvent.objects.get(action="complaint.recorded", object_id=complaint.pk).actor is None
    assert selectors.complainant_for(complaint, desk).hidden
    assert not selectors.complainant_for(complaint, tenant_a_admin).hidden


def test_the_admin_hides_an_anonymous_complainant_from_all_but_the_recorder(client_for, supervisor):
    recorder = factories.UserFactory(username="sup2", display_name="sup2", roles=["supervisor"], is_staff=True)
    complaint = recorded(recorder, anonymous=True, complainant_name="赵匿名", complainant_phone="13900000009")
    named = recorded(recorder, complainant_name="钱实名", complainant_phone="13900000008")
    changelist = reverse("admin:complaints_complaint_changelist")
    change = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    html = client_for(supervisor).get(changelist).content.decode()
    assert "赵匿名" not in html and "13900000009" not in html
    assert "钱实名" in html and "139****0008" in html
    page = client_for(supervisor).get(change)
    assert page.status_code == 200
    assert "赵匿名" not in page.content.decode() and "13900000009" not in page.content.decode()
    own = client_for(recorder).get(change).content.decode()
    assert "赵匿名" in own
    # A search by name finds nothing: it would tell who the anonymous one is.
    found = client_for(supervisor).get(changelist, {"q": "赵匿名"}).content.decode()
    assert complaint.number not in found
    assert Complaint.objects.filter(pk=named.pk).exists()


def test_attachments_follow_the_complaint_scope(desk, tenant_a, tenant_a_admin, tenant_b_admin, guard):
    from jinyuan.attachments import access

    complaint = recorded(desk, tenant=tenant_a)
    assert access.can_view(desk, complaint) and access.can_view(tenant_a_admin, complaint)
    assert not access.can_view(tenant_b_admin, complaint) and not access.can_view(guard, complaint)
