"""A building's notices 催缴通知书 printed as one batch: numbered together in a fixed number of
queries, the PDF rendered by the worker (the page shows it being prepared, then the download),
the task safe to run twice, the pages' queries pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing import arrears
from billing.arrears_models import NoticeBatch
from billing.tasks import render_notice_batch
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.billing.arrears_helpers import overdue_bill
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


def in_arrears(floor, desk, n: int) -> list:
    """``n`` new tenants on ``floor``, each with a bill 20 days overdue."""
    tenants = []
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=floor)
        overdue_bill(tenant, desk, days=20)
        tenants.append(tenant)
    return tenants


def batch_of(floor, desk, n: int) -> NoticeBatch:
    tenants = in_arrears(floor, desk, n)
    return arrears.notice_batch_create(tenants=tenants, by=desk, floor=floor)


def test_a_batch_numbers_its_notices_in_one_range_in_the_order_given(desk, unit_a, tenant_a):
    overdue_bill(tenant_a, desk, days=40)
    others = in_arrears(unit_a.floor, desk, 2)
    batch = arrears.notice_batch_create(tenants=[tenant_a, *others], by=desk, floor=unit_a.floor)
    notices = list(arrears.sel.notices_in(batch))
    numbers = [int(d.number.rsplit("-", 1)[1]) for d in notices]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert (batch.notices, batch.first_number, batch.last_number) == (3, notices[0].number, notices[-1].number)
    assert [d.data["tenant"] for d in notices] == [t.name for t in (tenant_a, *others)]
    assert [d.object_id for d in notices] == [t.pk for t in (tenant_a, *others)]
    assert notices[0].data["bills"][0]["days"] == 40 and notices[0].data["total"] == "1,000.00"
    issued = AuditEvent.objects.filter(action="document.issued", object_id__in=[d.pk for d in notices])
    assert sorted(e.data["number"] for e in issued) == [d.number for d in notices]
    assert AuditEvent.objects.filter(action="notice_batch.issued", object_id=batch.pk).get().data["notices"] == 3
    # Printed together: no PDF queued per notice; one downloaded alone is rendered then.
    assert not any(d.rendered_at for d in notices)
    assert batch.rendered_at is None


@pytest.mark.parametrize("count", [1, 30])
def test_issuing_a_batch_takes_the_same_queries_for_one_tenant_or_thirty(desk, unit_a, count):
    tenants = in_arrears(unit_a.floor, desk, count)
    arrears.notice_batch_create(tenants=tenants[:1], by=desk, floor=unit_a.floor)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        arrears.notice_batch_create(tenants=tenants, by=desk, floor=unit_a.floor)
    assert len(captured) == 16, [q["sql"][:80] for q in captured]


def test_a_batch_needs_a_tenant_and_one_place(desk, unit_a, tenant_a, building):
    from django.core.exceptions import ValidationError

    from jinyuan.workflow.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        arrears.notice_batch_create(tenants=[], by=desk, floor=unit_a.floor)
    overdue_bill(tenant_a, desk, days=20)
    with pytest.raises(ValidationError):
        arrears.notice_batch_create(tenants=[tenant_a], by=desk)
    with pytest.raises(ValidationError):
        arrears.notice_batch_create(tenants=[tenant_a], by=desk, floor=unit_a.floor, building=building)


def test_the_page_shows_the_pdf_being_prepared_then_the_download(client_for, finance, desk, unit_a, tenant_a):
    overdue_bill(tenant_a, desk, days=20)
    batch = arrears.notice_batch_create(tenants=[tenant_a], by=desk, floor=unit_a.floor)
    client = client_for(finance)
    page = client.get(reverse("desk:billing:arrears_notice_batch", args=[batch.pk])).content.decode()
    pdf_url = reverse("desk:billing:arrears_notice_batch_pdf", args=[batch.pk])
    assert 'hx-trigger="every 3s"' in page and pdf_url not in page
    assert batch.first_number in page and tenant_a.name in page
    early = client.get(pdf_url)
    assert early.status_code == 302
    assert early["Location"] == reverse("desk:billing:arrears_notice_batch", args=[batch.pk])

    assert render_notice_batch(batch.pk) is True
    assert render_notice_batch(batch.pk) is False  # the second run finds the PDF made
    batch.refresh_from_db()
    assert batch.pages == 1 and batch.pdf.name == f"arrears/notices/{batch.as_of:%Y}/{batch.pk}.pdf"
    page = client.get(reverse("desk:billing:arrears_notice_batch", args=[batch.pk])).content.decode()
    assert "hx-trigger" not in page and pdf_url in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="notice_batch.rendered", object_id=batch.pk).count() == 1


def test_a_task_for_a_batch_that_is_gone_does_nothing():
    assert render_notice_batch(987654) is False


def test_the_notices_page_lists_the_recent_batches(client_for, finance, desk, unit_a):
    batch = batch_of(unit_a.floor, desk, 2)
    html = client_for(finance).get(reverse("desk:billing:arrears_notices")).content.decode()
    assert reverse("desk:billing:arrears_notice_batch", args=[batch.pk]) in html
    assert batch.first_number in html and batch.last_number in html


# --- fixed queries with 1 row and with 30 ---------------------------------------------------------


def add_batches(ctx, n):
    for _ in range(n):
        batch_of(ctx["floor"], ctx["desk"], 1)


CASES = {"arrears_notices": Case("finance", lambda c: reverse("desk:billing:arrears_notices"), add_batches, 5)}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])


@pytest.mark.parametrize("count", [1, 30])
def test_the_batch_page_reads_one_notice_or_thirty_in_the_same_queries(client_for, finance, desk, unit_a, count):
    batch = batch_of(unit_a.floor, desk, count)
    render_notice_batch(batch.pk)
    client = client_for(finance)
    url = reverse("desk:billing:arrears_notice_batch", args=[batch.pk])
    client.get(url)  # warm up: content types, session, translations
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == 5, [q["sql"][:80] for q in captured]
