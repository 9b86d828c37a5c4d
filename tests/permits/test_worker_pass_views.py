"""The worker pass pages: the issue form (bad input beside its field, nothing lost), the
actions through the page, the register's filters and Excel export, the portal, and pinned
query counts."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.models import DepositEntry
from jinyuan.workflow.services import record_event
from permits import passes
from permits.models import WorkerPass
from tests.permits.conftest import photo, worker
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


def form_data(seq: int = 1, **over) -> dict:
    data = {**worker(seq), "certificate_number": "", "certificate_expiry": "", "valid_until": ""}
    data.update(over)
    return data


def test_desk_issues_a_pass_from_the_renovations_workers_page(client_for, desk, works):
    client = client_for(desk)
    page = client.get(reverse("desk:permits:renovation_passes", args=[works.pk]))
    new_url = reverse("desk:permits:worker_pass_new", args=[works.pk])
    assert new_url in page.content.decode()
    response = client.post(new_url, form_data())
    p = WorkerPass.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:permits:worker_pass_detail", args=[p.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert p.id_number in detail  # the desk sees the whole number
    assert reverse("desk:permits:worker_pass_badge", args=[p.pk]) in detail


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"id_number": "450102198506150010"}, "id_number"),
        ({"id_number": "45010219850615"}, "id_number"),
        ({"trade": "welder", "certificate_number": "T1", "certificate_expiry": "2020-01-01"}, "certificate_expiry"),
        ({"trade": "electrician"}, "certificate_number"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"photo": ""}, "photo"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_lost(client_for, desk, works, over, field):
    data = form_data(**over)
    if over.get("photo") == "":
        data.pop("photo")
    response = client_for(desk).post(reverse("desk:permits:worker_pass_new", args=[works.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert form["worker_name"].value() == "李建军"  # what was typed stays
    assert not WorkerPass.objects.exists()


def test_a_second_pass_for_the_same_worker_is_refused_beside_the_id_number(client_for, desk, works, issue):
    first = issue()
    response = client_for(desk).post(reverse("desk:permits:worker_pass_new", args=[works.pk]), form_data())
    assert first.document.number in " ".join(response.context["form"].errors["id_number"])


def test_lost_reissue_and_return_through_the_page(client_for, desk, issue):
    p = issue()
    client = client_for(desk)
    url = reverse("desk:permits:worker_pass_detail", args=[p.pk])
    assert client.post(url, {"action": "report_lost", "note": "工地遗失"}).status_code == 302
    assert client.post(url, {"action": "reissue"}).status_code == 302
    assert client.post(url, {"action": "give_back"}).status_code == 302
    p.refresh_from_db()
    assert p.status == WorkerPass.Status.RETURNED and p.reissues == 1


def test_report_lost_without_a_reason_is_refused_beside_the_field(client_for, desk, issue):
    p = issue()
    response = client_for(desk).post(
        reverse("desk:permits:worker_pass_detail", args=[p.pk]), {"action": "report_lost", "note": ""}
    )
    assert response.status_code in (200, 400)
    assert "note" in response.context["action_form"].errors
    p.refresh_from_db()
    assert p.status == WorkerPass.Status.ISSUED


def test_register_filters_and_export_mask_the_id(client_for, desk, engineer, issue):
    kept = issue(1, worker_name="张三")
    welder = issue(
        2,
        worker_name="王五",
        trade="welder",
        certificate_number="T2",
        certificate_expiry=timezone.localdate() + timedelta(days=100),
    )
    passes.worker_pass_return(obj=issue(3, worker_name="赵六"), by=desk)
    client = client_for(desk)
    url = reverse("desk:permits:worker_pass_list")

    def names(query):
        return [p.worker_name for p in client.get(url + query).context["object_list"]]

    assert names("?trade=welder") == ["王五"]
    assert names("?status=returned") == ["赵六"]
    assert names("?q=张三") == ["张三"]
    assert names(f"?q={welder.document.number}") == ["王五"]
    assert names(f"?q={kept.id_number}") == ["张三"]
    assert sorted(names("?valid=current")) == ["张三", "王五"]
    # Engineering sees the number masked; an export is masked for everyone.
    assert kept.id_number not in client_for(engineer).get(url).content.decode()
    assert kept.masked_id_number in client_for(engineer).get(url).content.decode()
    sheet = load_workbook(BytesIO(client.get(url + "?export=xlsx").content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert kept.masked_id_number in cells and kept.id_number not in cells


def test_batch_of_badges_for_a_renovation(client_for, desk, works, issue):
    issue(1), issue(2)
    response = client_for(desk).get(reverse("desk:permits:renovation_badges", args=[works.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_portal_lists_the_tenants_passes_masked(client_for, tenant_a_admin, tenant_b_admin, issue):
    p = issue()
    html = client_for(tenant_a_admin).get(reverse("portal:permits:worker_pass_list")).content.decode()
    assert "李建军" in html
    detail = client_for(tenant_a_admin).get(reverse("portal:permits:worker_pass_detail", args=[p.pk]))
    assert p.id_number not in detail.content.decode() and p.masked_id_number in detail.content.decode()
    assert "李建军" not in client_for(tenant_b_admin).get(reverse("portal:permits:worker_pass_list")).content.decode()
    assert client_for(tenant_b_admin).get(reverse("portal:permits:worker_pass_detail", args=[p.pk])).status_code == 404


def test_issue_for_a_renovation_not_in_works_is_refused_with_a_notice(client_for, desk, make_renovation):
    r = make_renovation("approved")
    response = client_for(desk).post(reverse("desk:permits:worker_pass_new", args=[r.pk]), form_data(photo=photo()))
    assert response.status_code == 302
    assert not WorkerPass.objects.exists()
    assert not DepositEntry.objects.exists()


# --- pinned query counts ------------------------------------------------------------------------


def more_passes(ctx, n):
    start = WorkerPass.objects.count() + 10
    for i in range(start, start + n):
        passes.worker_pass_issue(renovation=ctx["works"], by=ctx["desk"], **worker(i, worker_name=f"工人{i}"))


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["pass"], "worker_pass.note", by=ctx["desk"], note=f"备注{i}")


@pytest.fixture
def ctx(works, desk, issue):
    return {"works": works, "desk": desk, "pass": issue(1)}


CASES = {
    "desk-worker-pass-list": Case("desk", lambda c: reverse("desk:permits:worker_pass_list"), more_passes, 4),
    "desk-renovation-passes": Case(
        "desk", lambda c: reverse("desk:permits:renovation_passes", args=[c["works"].pk]), more_passes, 4
    ),
    "desk-worker-pass-detail": Case(
        "desk", lambda c: reverse("desk:permits:worker_pass_detail", args=[c["pass"].pk]), timeline_events, 5
    ),
    "portal-worker-pass-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:permits:worker_pass_list"), more_passes, 5
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
