"""Worker passes in the Django admin: filters and search (an ID number only whole, only by
those who may see it), the ID number masked for other roles, read-only state, number and
validity, audited corrections, no add or delete, voiding through the workflow, and a fixed
number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from permits.models import WorkerPass
from tests import factories
from tests.permits.conftest import worker
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db

LIST = "admin:permits_workerpass_changelist"


def change_url(worker_pass: WorkerPass) -> str:
    return reverse("admin:permits_workerpass_change", args=[worker_pass.pk])


def listed(client, **query) -> list[int]:
    response = client.get(reverse(LIST), query)
    assert response.status_code == 200
    return [p.pk for p in response.context["cl"].result_list]


@pytest.fixture
def two_passes(issue):
    """A carpenter and an electrician of tenant A's renovation (unit A)."""
    carpenter = issue(1)
    electrician = issue(
        2,
        worker_name="黄志强",
        trade="electrician",
        certificate_number="T450102",
        certificate_expiry=timezone.localdate() + timedelta(days=300),
    )
    return carpenter, electrician


@pytest.fixture
def engineer_in_admin():
    """A staff user of another role (engineering) who was given the admin's view permission."""
    user = factories.UserFactory(roles=["engineering"], is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_workerpass"))
    return user


def test_the_supervisor_filters_by_state_trade_and_building(client_for, supervisor, two_passes, building):
    carpenter, electrician = two_passes
    client = client_for(supervisor)
    assert set(listed(client)) == {carpenter.pk, electrician.pk}
    assert listed(client, trade__exact="electrician") == [electrician.pk]
    assert listed(client, status__exact="returned") == []
    assert set(listed(client, renovation__unit__floor__building__id__exact=building.pk)) == {
        carpenter.pk,
        electrician.pk,
    }


def test_search_by_name_badge_number_unit_and_a_whole_id_number(client_for, supervisor, two_passes, unit_a):
    carpenter, electrician = two_passes
    client = client_for(supervisor)
    assert listed(client, q="黄志强") == [electrician.pk]
    assert listed(client, q=carpenter.document.number.lower()) == [carpenter.pk]
    assert set(listed(client, q=unit_a.number)) == {carpenter.pk, electrician.pk}
    assert listed(client, q=electrician.id_number) == [electrician.pk]
    # A part of an ID number finds nothing: numbers are not searched piece by piece.
    assert listed(client, q=electrician.id_number[:10]) == []
    assert listed(client, q=electrician.id_number[-4:]) == []


def test_the_supervisor_sees_whole_id_numbers(client_for, supervisor, two_passes):
    carpenter, _ = two_passes
    client = client_for(supervisor)
    assert carpenter.id_number in client.get(reverse(LIST)).content.decode()
    assert carpenter.id_number in client.get(change_url(carpenter)).content.decode()


def test_other_roles_see_id_numbers_masked_and_cannot_search_them(client_for, engineer_in_admin, two_passes):
    carpenter, electrician = two_passes
    client = client_for(engineer_in_admin)
    page = client.get(reverse(LIST)).content.decode()
    assert carpenter.id_number not in page and carpenter.masked_id_number in page
    form = client.get(change_url(carpenter)).content.decode()
    assert carpenter.id_number not in form and carpenter.masked_id_number in form
    assert listed(client, q=electrician.id_number) == []


def test_state_number_and_validity_are_read_only_and_a_correction_is_audited(client_for, supervisor, two_passes):
    carpenter, _ = two_passes
    client = client_for(supervisor)
    form = client.get(change_url(carpenter)).context["adminform"].form
    assert set(form.fields) == {"worker_name", "certificate_number"}
    before = WorkerPass.objects.get(pk=carpenter.pk)
    response = client.post(
        change_url(carpenter),
        {
            "worker_name": "李建君",
            "certificate_number": "",
            "status": "void",
            "valid_until": "2099-01-01",
            "id_number": "11010119900307803X",
        },
    )
    assert response.status_code == 302
    after = WorkerPass.objects.get(pk=carpenter.pk)
    assert after.worker_name == "李建君"
    assert (after.status, after.valid_until, after.id_number, after.document_id) == (
        before.status,
        before.valid_until,
        before.id_number,
        before.document_id,
    )
    event = AuditEvent.objects.get(object_id=carpenter.pk, action="worker_pass.changed")
    assert event.data["fields"] == ["worker_name"] and event.actor == supervisor


def test_passes_are_neither_added_nor_deleted_in_the_admin(client_for, supervisor, two_passes):
    carpenter, _ = two_passes
    client = client_for(supervisor)
    assert client.get(reverse("admin:permits_workerpass_add")).status_code == 403
    assert client.post(reverse("admin:permits_workerpass_delete", args=[carpenter.pk])).status_code == 403
    assert WorkerPass.objects.filter(pk=carpenter.pk).exists()


def test_the_void_action_goes_through_the_workflow(client_for, supervisor, two_passes):
    carpenter, electrician = two_passes
    response = client_for(supervisor).post(
        reverse(LIST), {"action": "void_selected", "_selected_action": [carpenter.pk]}, follow=True
    )
    assert response.status_code == 200
    carpenter.refresh_from_db()
    electrician.refresh_from_db()
    assert carpenter.status == WorkerPass.Status.VOID and electrician.status == WorkerPass.Status.ISSUED
    assert carpenter.document.status == Document.Status.REVOKED
    assert AuditEvent.objects.filter(object_id=carpenter.pk, action="worker_pass.voided", actor=supervisor).exists()


def more_passes(ctx, n):
    from permits import passes

    start = WorkerPass.objects.count() + 10
    for i in range(start, start + n):
        passes.worker_pass_issue(renovation=ctx["works"], by=ctx["desk"], **worker(i, worker_name=f"工人{i}"))


CASES = {
    "admin-worker-pass": Case("superuser", admin_changelist("permits.WorkerPass"), more_passes, 8),
    "admin-worker-pass-supervisor": Case("supervisor", admin_changelist("permits.WorkerPass"), more_passes, 10),
}


@pytest.mark.parametrize("name", list(CASES))
def test_query_count_is_fixed(request, works, desk, client_for, name):
    assert_fixed_queries(request, {"works": works, "desk": desk}, client_for, name, CASES[name])
