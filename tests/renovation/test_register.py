"""The desk's renovation register: search by company, contractor or unit, the open
rectification orders per row, the same rows in Excel, and any page read by its ids."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.renovation.data import order_for

pytestmark = pytest.mark.django_db

URL = "desk:renovation:renovation_list"


def _rows(client, **query):
    return list(client.get(reverse(URL), query).context["object_list"])


def test_search_finds_a_renovation_by_company_contractor_or_unit(client_for, desk, make_renovation, tenant_a, unit_a):
    renovation = make_renovation("applied")
    client = client_for(desk)
    for term in (tenant_a.name[2:6], "精工装饰", unit_a.number):
        assert [r.pk for r in _rows(client, q=term)] == [renovation.pk], term
    assert _rows(client, q="没有这家公司") == []
    # Latin text is matched whatever its case (Chinese, having none, by a plain LIKE).
    type(renovation).objects.filter(pk=renovation.pk).update(contractor_name="ABC Interiors Ltd")
    assert [r.pk for r in _rows(client, q="abc interiors")] == [renovation.pk]


def test_each_row_counts_its_open_rectification_orders(client_for, desk, in_works, engineer):
    order_for(in_works, engineer)
    order_for(in_works, engineer)
    client = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    (row,) = _rows(client)
    assert row.open_orders == 2
    assert row.status_label == "Works in progress" and row.period.count("-") == 4
    page = client.get(reverse(URL)).content.decode()
    assert '<span class="badge text-bg-danger">2</span>' in page


def test_the_export_has_the_register_columns(client_for, desk, in_works, engineer):
    order_for(in_works, engineer)
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(reverse(URL), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    header, row = (list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["Number"] == in_works.permit.number
    assert record["Contractor"] == in_works.contractor_name
    assert record["Open rectification orders"] == 1


def test_a_far_page_reads_its_rows_by_id_in_register_order(client_for, desk, building, tenant_a, tenant_a_admin):
    from renovation.models import Renovation
    from tests.renovation.test_queries import more_renovations

    more_renovations({"building": building, "tenant_a": tenant_a, "tenant_a_admin": tenant_a_admin}, 30)
    newest_first = list(Renovation.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    client = client_for(desk)
    assert [r.pk for r in _rows(client)] == newest_first[:25]
    # Past the middle the page is read from the other end of the index, then put back in order.
    assert [r.pk for r in _rows(client, page=2)] == newest_first[25:]
