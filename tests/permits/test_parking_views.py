"""The parking permit pages: the application forms with errors beside their fields, the desk's
actions and renewals, the guard's plate check, papers, export, and fixed query counts."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinyuan.workflow.services import record_event
from permits import parking
from permits.models import ParkingPermit
from tests.permits.parking_fixtures import licence, vehicle
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


def form_data(seq: int = 1, **over) -> dict:
    data = vehicle(seq, **over)
    data["start"] = data["start"].isoformat()
    return {k: ("" if v is None else v) for k, v in data.items()}


# --- applying ---------------------------------------------------------------------------------------


def test_the_tenant_applies_in_the_portal(client_for, tenant_a_admin):
    client = client_for(tenant_a_admin)
    response = client.post(reverse("portal:permits:parking_new"), form_data(1, plate="桂a d12345"))
    permit = ParkingPermit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:permits:parking_detail", args=[permit.pk]
    )
    assert permit.plate == "桂AD12345" and permit.applicant == tenant_a_admin


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"plate": "桂AO1234"}, "plate", "I"),
        ({"plate": "A12345"}, "plate", "桂"),
        ({"start": (timezone.localdate() - dt.timedelta(days=3))}, "start", ""),
        ({"months": ""}, "months", ""),
        ({"rental_type": "free", "months": "", "until": ""}, "until", ""),
        ({"driver_phone": "110"}, "driver_phone", ""),
    ],
)
def test_bad_input_shows_beside_its_field_and_keeps_the_rest(client_for, tenant_a_admin, over, field, text):
    data = form_data(1, **over)
    if isinstance(data["start"], dt.date):
        data["start"] = data["start"].isoformat()
    response = client_for(tenant_a_admin).post(reverse("portal:permits:parking_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and text in " ".join(form.errors[field])
    assert form["brand"].value() == "比亚迪"  # what was typed is kept
    assert not ParkingPermit.objects.exists()


def test_a_plate_already_live_is_named_beside_the_plate(client_for, tenant_a_admin, make_permit):
    live = make_permit("issued", 1)
    response = client_for(tenant_a_admin).post(reverse("portal:permits:parking_new"), form_data(1))
    assert response.status_code == 200
    assert live.document.number in " ".join(response.context["form"].errors["plate"])


def test_a_bad_licence_file_is_refused_beside_it(client_for, tenant_a_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(1, licence=SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg"))
    response = client_for(tenant_a_admin).post(reverse("portal:permits:parking_new"), data)
    assert response.status_code == 200 and "licence" in response.context["form"].errors
    assert not ParkingPermit.objects.exists()


def test_the_desk_applies_for_a_company_found_by_name(client_for, desk, tenant_a):
    client = client_for(desk)
    found = client.get(reverse("desk:permits:parking_list"), {"company": tenant_a.name[:2]})
    assert tenant_a in found.context["companies"]
    response = client.post(reverse("desk:permits:parking_new", args=[tenant_a.pk]), form_data(3))
    assert response.status_code == 302
    assert ParkingPermit.objects.get().tenant == tenant_a


# --- the desk's actions ---------------------------------------------------------------------------------


def test_the_desk_approves_and_renews_from_the_detail_page(client_for, desk, make_permit):
    permit = make_permit("submitted")
    client = client_for(desk)
    url = reverse("desk:permits:parking_detail", args=[permit.pk])
    assert client.post(url, {"action": "approve"}).status_code == 302
    permit.refresh_from_db()
    assert permit.status == "issued"
    page = client.get(url)
    assert page.context["renew_form"] is not None and permit.document.number in page.content.decode()
    client.post(url, {"action": "renew", "months": 6, "expected_end": permit.end.isoformat()})
    permit.refresh_from_db()
    assert permit.renewals == 1
    # the same form sent again (a double click) renews nothing more
    client.post(
        url, {"action": "renew", "months": 6, "expected_end": page.context["renew_form"]["expected_end"].value()}
    )
    permit.refresh_from_db()
    assert permit.renewals == 1


def test_a_refusal_without_a_reason_is_an_error_not_a_change(client_for, desk, make_permit):
    permit = make_permit("submitted")
    url = reverse("desk:permits:parking_detail", args=[permit.pk])
    response = client_for(desk).post(url, {"action": "refuse", "note": ""})
    assert response.status_code == 400
    permit.refresh_from_db()
    assert permit.status == "submitted"


def test_the_tenant_renews_in_the_portal(client_for, tenant_a_admin, make_permit):
    permit = make_permit("issued")
    url = reverse("portal:permits:parking_detail", args=[permit.pk])
    client = client_for(tenant_a_admin)
    assert "renew" in client.get(url).content.decode()
    client.post(url, {"action": "renew", "months": 3, "expected_end": permit.end.isoformat()})
    permit.refresh_from_db()
    assert permit.renewals == 1


def test_papers_print_for_the_company_and_not_for_another(client_for, tenant_a_admin, tenant_b_admin, make_permit):
    permit = make_permit("issued")
    url = reverse("portal:permits:parking_paper", args=[permit.document.pk])
    response = client_for(tenant_a_admin).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(tenant_b_admin).get(url).status_code == 404


def test_the_move_out_page_revokes_every_permit(client_for, desk, make_permit, tenant_a):
    from tenants.services import moveout_open

    permits = [make_permit("issued", 1), make_permit("submitted", 2)]
    move_out = moveout_open(tenant=tenant_a, planned_date=timezone.localdate() + dt.timedelta(days=5), by=desk)
    url = reverse("desk:permits:parking_moveout", args=[move_out.pk])
    response = client_for(desk).post(url, {"note": "整体迁出"})
    assert response.status_code == 302
    assert {p.status for p in ParkingPermit.objects.filter(pk__in=[p.pk for p in permits])} == {"revoked"}


def test_the_register_exports_the_filtered_rows(client_for, desk, make_permit):
    make_permit("issued", 1)
    make_permit("submitted", 2)
    response = client_for(desk).get(reverse("desk:permits:parking_list"), {"status": "issued", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][1] == "桂A00001"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "00002"}, {"桂A00002"}),
        ({"q": "桂A00001"}, {"桂A00001"}),
        ({"attention": "expiring"}, {"桂A00003"}),
        ({"status": "submitted"}, {"桂A00002"}),
    ],
)
def test_the_register_filters(client_for, desk, make_permit, query, expected):
    make_permit("issued", 1)
    make_permit("submitted", 2)
    make_permit("issued", 3, rental_type="free", months=None, until=timezone.localdate() + dt.timedelta(days=9))
    response = client_for(desk).get(reverse("desk:permits:parking_list"), query)
    assert {p.plate for p in response.context["object_list"]} == expected


def test_the_overdue_filter_finds_unpaid_rent_past_its_due_date(client_for, desk, make_permit):
    from billing.models import Bill

    late, paid_up = make_permit("issued", 1), make_permit("issued", 2)
    Bill.objects.filter(source_key=f"parkingpermit:{late.pk}:issue").update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client_for(desk).get(reverse("desk:permits:parking_list"), {"attention": "overdue"})
    assert [p.plate for p in response.context["object_list"]] == [late.plate]
    assert paid_up.plate not in response.content.decode()


# --- the guard's plate check --------------------------------------------------------------------------


def check(client, plate):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("desk:permits:plate_check"), {"plate": plate})
    return response, len(captured)


def test_the_plate_check_says_valid_expired_or_unknown_in_fixed_queries(client_for, guard, make_permit):
    valid = make_permit("issued", 1)
    expired = make_permit("expired", 2)
    client = client_for(guard)
    client.get(reverse("desk:permits:plate_check"))  # warm up
    response, valid_queries = check(client, "桂a 00001")
    assert response.context["result"].verdict == "valid"
    html = response.content.decode()
    assert valid.tenant.name in html and valid.last_day.isoformat() in html
    response, expired_queries = check(client, expired.plate)
    assert response.context["result"].verdict == "expired"
    assert expired.end.isoformat() in response.content.decode()
    response, unknown_queries = check(client, "桂A99999")
    assert response.context["result"].verdict == "unknown"
    # the plate's whole history (renewals, old revoked permits) costs nothing more
    for _ in range(5):
        parking.parking_renew(obj=valid, by=valid.document.issued_by, months=1)
    response, many_queries = check(client, valid.plate)
    assert valid_queries == expired_queries == unknown_queries == many_queries


def test_a_mistyped_plate_is_an_error_beside_the_field(client_for, guard):
    response = client_for(guard).get(reverse("desk:permits:plate_check"), {"plate": "桂AO12"})
    assert response.status_code == 400 and response.context["form"].errors["plate"]


# --- fixed query counts (tests/querycount.py) ---------------------------------------------------------------


@pytest.fixture
def parking_ctx(query_ctx, make_permit):
    ctx = dict(query_ctx)
    ctx["seq"] = iter(range(10, 200))
    ctx["permit"] = make_permit("issued", 1)
    ctx["make_permit"] = make_permit
    return ctx


def permits(ctx, n):
    for _ in range(n):
        ctx["make_permit"]("issued", next(ctx["seq"]))


def spaces(ctx, n):
    from permits.models import ParkingSpace

    for _ in range(n):
        number = next(ctx["seq"])
        space = ParkingSpace.objects.create(number=f"B2-{number:03d}", zone="B2")
        ctx["make_permit"]("issued", number, space=space)


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["permit"], "parking_permit.note", by=ctx["desk"], note=f"备注{i}")


def renewals(ctx, n):
    for _ in range(n):
        parking.parking_renew(obj=ctx["permit"], by=ctx["desk"], months=1)


CASES = {
    "desk-parking-list": Case("desk", lambda c: reverse("desk:permits:parking_list"), permits, 4),
    "desk-parking-list-filtered": Case(
        "desk", lambda c: reverse("desk:permits:parking_list") + "?status=issued&rental_type=monthly", permits, 4
    ),
    "desk-parking-detail": Case(
        "desk", lambda c: reverse("desk:permits:parking_detail", args=[c["permit"].pk]), renewals, 6
    ),
    "desk-parking-detail-timeline": Case(
        "desk", lambda c: reverse("desk:permits:parking_detail", args=[c["permit"].pk]), timeline_events, 6
    ),
    "portal-parking-list": Case("tenant_a_admin", lambda c: reverse("portal:permits:parking_list"), permits, 5),
    "portal-parking-detail": Case(
        "tenant_a_admin", lambda c: reverse("portal:permits:parking_detail", args=[c["permit"].pk]), renewals, 6
    ),
    "plate-check": Case("guard", lambda c: reverse("desk:permits:plate_check") + "?plate=%E6%A1%82A00001", renewals, 3),
    "admin-parking-permit": Case("superuser", admin_changelist("permits.ParkingPermit"), permits, 8),
    "admin-parking-space": Case("superuser", admin_changelist("permits.ParkingSpace"), spaces, 6),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, parking_ctx, client_for, name):
    assert_fixed_queries(request, parking_ctx, client_for, name, CASES[name])


def test_licence_helper_makes_a_jpeg():
    assert licence().read(3) == b"\xff\xd8\xff"


def test_the_desk_home_shows_applications_waiting_and_permits_expiring(client_for, desk, make_permit):
    make_permit("submitted", 1)
    make_permit("issued", 2, rental_type="free", months=None, until=timezone.localdate() + dt.timedelta(days=5))
    panels = {p.url: p.count for p in client_for(desk).get(reverse("desk:home")).context["panels"]}
    register = reverse("desk:permits:parking_list")
    assert panels[f"{register}?status=submitted"] == 1 and panels[f"{register}?attention=expiring"] == 1
