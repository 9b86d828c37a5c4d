"""Registers (jinyuan.lists.RegisterView): no page cache, and the page's rows chosen before they
are annotated. Shown on the tenant register (the kernel has no register of its own) and on the
portal's bills, the register scoped to one tenant."""

import threading
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from tenants import services
from tenants.models import Tenant
from tenants.views import TenantListView
from tests import factories

TENANTS = reverse("desk:tenants:tenant_list")
PORTAL_BILLS = reverse("portal:billing:billing_home")


def _names(html: str, tenants: list[Tenant]) -> list[str]:
    """The given tenants' names in the order the page shows them."""
    shown = [(html.find(t.name), t.name) for t in tenants if t.name in html]
    return [name for _, name in sorted(shown)]


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_transaction_shows_at_once(client_for, desk):
    """A writer that began earlier commits later than another: its audit event's id is older
    than the newest one, so a page keyed by the newest event id (the old register cache) kept
    the old name after its commit. Now the next request reads what is committed."""
    tenant = factories.TenantFactory(name="广西旧名科技有限公司")
    other = factories.TenantFactory(name="南宁另一家贸易有限公司")
    client = client_for(desk)
    written, commit = threading.Event(), threading.Event()

    def rename() -> None:
        try:
            with transaction.atomic():
                services.tenant_update(tenant=Tenant.objects.get(pk=tenant.pk), by=desk, name="广西新名科技有限公司")
                written.set()
                commit.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=rename)
    writer.start()
    try:
        assert written.wait(timeout=30)
        services.tenant_update(tenant=other, by=desk, phone="0771-5551234")  # committed, a newer event
        html = client.get(TENANTS).content.decode()  # the rename is not committed yet
        assert "广西旧名科技有限公司" in html and "广西新名科技有限公司" not in html
    finally:
        commit.set()
        writer.join(timeout=30)
    html = client.get(TENANTS).content.decode()
    assert "广西新名科技有限公司" in html and "广西旧名科技有限公司" not in html


@pytest.mark.django_db
def test_a_far_page_lists_its_own_rows_in_order_with_their_columns(client_for, desk, unit_a):
    tenants = [factories.TenantFactory(name=f"测试{i:02d}有限公司") for i in range(TenantListView.paginate_by + 3)]
    last = tenants[-1]
    factories.ContactFactory(tenant=last, name="赵末页", phone="13800000099", is_primary=True)
    factories.OccupancyFactory(tenant=last, unit=unit_a)

    html = client_for(desk).get(TENANTS, {"page": 2}).content.decode()

    assert _names(html, tenants) == [t.name for t in tenants[TenantListView.paginate_by :]]
    assert "赵末页" in html and "13800000099" in html and unit_a.number in html


@pytest.mark.django_db
def test_a_filtered_page_counts_and_lists_only_matching_rows(client_for, desk):
    matching = [factories.TenantFactory(name=f"邕江{i:02d}有限公司") for i in range(TenantListView.paginate_by + 1)]
    factories.TenantFactory(name="别家有限公司")

    response = client_for(desk).get(TENANTS, {"q": "邕江", "page": 2})

    assert response.context["paginator"].count == len(matching)
    assert [t.name for t in response.context["object_list"]] == [matching[-1].name]


@pytest.mark.django_db
def test_the_export_carries_every_filtered_row_with_its_columns(client_for, desk, tenant_a, tenant_b, monkeypatch):
    monkeypatch.setattr(TenantListView, "export_chunk", 1)  # one query per row: every chunk joins up
    extra = factories.TenantFactory(name="广西丙方物流有限公司")

    response = client_for(desk).get(TENANTS, {"export": "xlsx", "q": "广西"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (extra.name, None, None),
        (tenant_a.name, "1201", "王建国"),
    ]


@pytest.fixture
def bills_of_both(tenant_a, tenant_b, finance):
    """Tenant A has more bills than the portal's page holds; tenant B has one."""
    from billing.views import PortalBillingView

    mine = [factories.make_bill(tenant_a, finance) for _ in range(PortalBillingView.paginate_by + 1)]
    theirs = factories.make_bill(tenant_b, finance)
    return mine, theirs


@pytest.mark.django_db
def test_a_portal_register_never_shows_another_tenants_rows(client_for, tenant_a_admin, tenant_b_admin, bills_of_both):
    mine, theirs = bills_of_both
    for admin, own, others in ((tenant_a_admin, mine, [theirs]), (tenant_b_admin, [theirs], mine)):
        client = client_for(admin)
        pages = [client.get(PORTAL_BILLS, {"page": n}) for n in (1, 2)] if len(own) > 1 else [client.get(PORTAL_BILLS)]
        html = "".join(page.content.decode() for page in pages)
        assert all(bill.number in html for bill in own)
        assert not any(bill.number in html for bill in others)
        assert {row.tenant_id for page in pages for row in page.context["object_list"]} == {own[0].tenant_id}


@pytest.mark.django_db
def test_the_count_and_the_page_choice_run_on_plain_rows_and_only_the_page_is_annotated(client_for, desk):
    """What keeps page 60 as cheap as page 1: no annotation for the rows the page skips."""
    from django.test.utils import CaptureQueriesContext

    for i in range(TenantListView.paginate_by + 2):
        factories.TenantFactory(name=f"测试{i:02d}有限公司")
    client = client_for(desk)
    client.get(TENANTS)
    with CaptureQueriesContext(connection) as captured:
        client.get(TENANTS, {"page": 2})
    sql = [q["sql"] for q in captured.captured_queries if "tenants_tenant" in q["sql"]]
    count = next(s for s in sql if "COUNT(" in s)
    rows = next(s for s in sql if "STRING_AGG" in s)
    assert "STRING_AGG" not in count and "tenants_contact" not in count
    # The page's ids are chosen in a subquery with the page's LIMIT/OFFSET; the outer query,
    # which carries the annotations, has none.
    ids = rows[rows.index("IN (SELECT") :]
    # The last page: its 2 rows are the first 2 of the reversed ordering, not 2 after an OFFSET 25.
    assert 'ORDER BY "tenants_tenant"."name" DESC, "tenants_tenant"."id" DESC LIMIT 2)' in ids and "OFFSET" not in ids
    assert "STRING_AGG" not in ids


@pytest.mark.django_db
def test_a_register_without_pages_still_shows_its_columns(client_for, desk, tenant_a, monkeypatch):
    monkeypatch.setattr(TenantListView, "paginate_by", None)

    html = client_for(desk).get(TENANTS).content.decode()

    assert tenant_a.name in html and "王建国" in html and "1201" in html


@pytest.mark.django_db
def test_every_page_lists_the_rows_of_its_place_whichever_end_it_is_read_from(client_for, desk):
    """Pages past the middle read their ids from the reversed ordering (an OFFSET from the
    nearer end); each page still shows exactly its own rows, in the register's order."""
    per_page = TenantListView.paginate_by
    tenants = [factories.TenantFactory(name=f"翻页{i:03d}有限公司") for i in range(per_page * 3 + 4)]
    client = client_for(desk)

    for page in (1, 2, 3, 4):
        html = client.get(TENANTS, {"q": "翻页", "page": page}).content.decode()
        assert _names(html, tenants) == [t.name for t in tenants[(page - 1) * per_page : page * per_page]]


# --- the rows statement, compiled once per key (jinyuan.lists.RowsStatement) ------------------


def _shown_rows(response) -> list[tuple]:
    return [(t.pk, t.name, t.unit_numbers, t.contact_name, t.contact_phone) for t in response.context["object_list"]]


@pytest.mark.django_db
def test_the_compiled_rows_statement_shows_what_the_fresh_query_shows(client_for, desk, monkeypatch):
    """Every filter and both ends of the register: the rows from the statement compiled once
    equal those of the query built for the request, annotations included."""
    building = factories.BuildingFactory()
    for i in range(TenantListView.paginate_by + 6):
        elsewhere = {} if i % 3 else {"floor": factories.FloorFactory(building=building)}
        tenant, _unit = factories.occupied_unit(**elsewhere)
        factories.ContactFactory(tenant=tenant, name=f"联系人{i:02d}", is_primary=bool(i % 2))
    factories.TenantFactory(name="尚未入驻有限公司")
    client = client_for(desk)
    queries = [{}, {"page": 2}, {"building": building.pk}, {"occupying": "false"}, {"q": "联系人0"}, {"q": "无此公司"}]

    compiled = [_shown_rows(client.get(TENANTS, query)) for query in queries]
    monkeypatch.setattr(TenantListView, "rows_statement_key", lambda self: None)
    fresh = [_shown_rows(client.get(TENANTS, query)) for query in queries]

    assert compiled == fresh
    assert all(rows for rows in compiled[:4]) and compiled[-1] == []
    assert any(row[2] for rows in compiled for row in rows)  # the annotations are there


@pytest.mark.django_db
def test_the_rows_statement_of_a_new_day_shows_that_days_units(client_for, desk):
    """The current units are today's: a statement compiled yesterday would keep yesterday's
    date, so the day is part of its key."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    tenant, unit = factories.occupied_unit()
    Tenant.objects.filter(pk=tenant.pk).update(name="今日退租测试有限公司")
    tenant.occupancies.update(end=timezone.localdate() + timedelta(days=1))
    client = client_for(desk)

    assert _shown_rows(client.get(TENANTS, {"q": "今日退租"}))[0][2] == unit.number
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        response = client_for(desk).get(TENANTS, {"q": "今日退租"})
        assert response.status_code == 200, response.get("Location")
        assert _shown_rows(response)[0][2] is None


def test_a_rows_statement_takes_the_ids_query_in_its_parameters_place():
    from jinyuan.lists import PAGE_IDS_MARKER, RowsStatement

    statement = RowsStatement(
        f"SELECT a, '50%%s' FROM t WHERE b = %s AND id IN ({PAGE_IDS_MARKER}) AND c = %s",  # noqa: S608 no input
        (1, 2),
    )

    sql, params = statement.with_ids("SELECT id FROM u WHERE d = %s LIMIT %s", ("x", 25))

    assert sql == "SELECT a, '50%%s' FROM t WHERE b = %s AND id IN (SELECT id FROM u WHERE d = %s LIMIT %s) AND c = %s"
    assert params == (1, "x", 25, 2)
    with pytest.raises(ValueError):
        RowsStatement("SELECT 1", ())
