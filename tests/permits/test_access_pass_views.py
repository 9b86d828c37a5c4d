"""The access pass pages as people use them: the portal request with its field errors, the
desk's issue form with a card number already out, lost and reissued, what to do next."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from permits.models import AccessPass
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(client_for, tenant_a_admin):
    return client_for(tenant_a_admin)


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk)


def request_data(unit_a, **over):
    return {
        "holder_name": "张伟",
        "department": "财务部",
        "mobile": "13877110001",
        "card_type": "staff",
        "floors": [unit_a.floor_id],
        **over,
    }


def test_the_portal_requests_a_card_with_a_photo(portal, unit_a):
    photo = SimpleUploadedFile("张伟.jpg", factories.tiny_image(), content_type="image/jpeg")
    response = portal.post(reverse("portal:permits:access_pass_new"), {**request_data(unit_a), "photo": photo})
    card = AccessPass.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:permits:access_pass_detail", args=[card.pk]
    )
    page = portal.get(response["Location"]).content.decode()
    assert "服务中心正在审核申请" in page
    assert card.floors.get() == unit_a.floor


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"mobile": "0771-5551234"}, "mobile"),
        ({"holder_name": ""}, "holder_name"),
        ({"floors": []}, "floors"),
        ({"card_type": "temporary"}, "valid_until"),
        ({"valid_until": (timezone.localdate() - timedelta(days=1)).isoformat()}, "valid_until"),
        ({"photo": SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")}, "photo"),
    ],
)
def test_bad_portal_input_is_a_field_error_and_keeps_what_was_typed(portal, unit_a, over, field):
    response = portal.post(reverse("portal:permits:access_pass_new"), request_data(unit_a, **over))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"]["department"].value() == "财务部"
    assert not AccessPass.objects.exists()


def test_another_companys_floor_is_not_offered(portal, unit_a, unit_b, tenant_b):
    response = portal.post(reverse("portal:permits:access_pass_new"), request_data(unit_a, floors=[unit_b.floor_id]))
    assert "floors" in response.context["form"].errors
    assert not AccessPass.objects.exists()


def test_the_desk_approves_and_issues_a_card(clerk, tenant_a, tenant_a_admin, desk):
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "requested", desk=desk)
    detail = reverse("desk:permits:access_pass_detail", args=[card.pk])
    assert clerk.post(detail, {"action": "approve"}).status_code == 302
    page = clerk.get(detail)
    assert page.context["issue_form"] is not None
    response = clerk.post(
        reverse("desk:permits:access_pass_issue", args=[card.pk]), {"card_number": "a0001234", "charge": "deposit"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.status, card.card_number) == (AccessPass.Status.ISSUED, "A0001234")


def test_a_card_number_already_out_is_shown_beside_the_field(clerk, tenant_a, tenant_a_admin, desk):
    out = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk)
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "approved", desk=desk, holder_name="李娜")
    response = clerk.post(
        reverse("desk:permits:access_pass_issue", args=[card.pk]),
        {"card_number": out.card_number, "charge": "fee", "valid_until": ""},
    )
    assert response.status_code == 200
    assert out.card_number in response.context["form"].errors["card_number"][0]
    assert response.context["form"]["charge"].value() == "fee"
    card.refresh_from_db()
    assert card.status == AccessPass.Status.APPROVED


def test_the_tenant_reports_lost_and_the_desk_reissues(portal, clerk, tenant_a, tenant_a_admin, desk):
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk)
    portal_detail = reverse("portal:permits:access_pass_detail", args=[card.pk])
    assert "report_lost" in [a.name for a in portal.get(portal_detail).context["actions"]]
    assert portal.post(portal_detail, {"action": "report_lost", "note": "钱包被偷"}).status_code == 302
    card.refresh_from_db()
    assert card.status == AccessPass.Status.LOST
    assert desk.notifications.filter(url=reverse("desk:permits:access_pass_detail", args=[card.pk])).exists()
    old = card.card_number
    response = clerk.post(reverse("desk:permits:access_pass_reissue", args=[card.pk]), {"card_number": "R0009999"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.status, card.card_number, card.dead_card_numbers) == (AccessPass.Status.ISSUED, "R0009999", [old])
    # the desk's search finds the card by its lost number
    found = clerk.get(reverse("desk:permits:access_pass_list"), {"q": old}).context["object_list"]
    assert [p.pk for p in found] == [card.pk]


def test_the_issue_page_of_a_card_not_approved_goes_back_to_the_card(clerk, tenant_a, tenant_a_admin, desk):
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "requested", desk=desk)
    response = clerk.get(reverse("desk:permits:access_pass_issue", args=[card.pk]))
    assert response["Location"] == reverse("desk:permits:access_pass_detail", args=[card.pk])


@pytest.mark.parametrize(
    ("query", "expected"),
    [("status=lost", {"lost"}), ("due=overdue", {"expired"}), ("due=waiting", {"requested", "lost"})],
)
def test_the_register_filters(clerk, tenant_a, tenant_a_admin, desk, query, expected):
    for state in ("requested", "issued", "lost", "expired", "returned"):
        factories.make_access_pass(tenant_a, tenant_a_admin, state, desk=desk)
    rows = clerk.get(reverse("desk:permits:access_pass_list") + "?" + query).context["object_list"]
    assert {p.status for p in rows} == expected


def test_the_register_exports_masked_mobiles(clerk, tenant_a, tenant_a_admin, desk):
    from io import BytesIO

    from openpyxl import load_workbook

    factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk)
    response = clerk.get(reverse("desk:permits:access_pass_list") + "?export=xlsx")
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    row = [c.value for c in ws[2]]
    assert "138****0001" in row and "张伟" in row


def test_the_desk_sees_the_cards_bills_and_a_guard_does_not(clerk, client_for, guard, tenant_a, tenant_a_admin, desk):
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk)
    url = reverse("desk:permits:access_pass_detail", args=[card.pk])
    [bill] = clerk.get(url).context["bills"]
    assert bill.source_key == f"accesspass:{card.pk}"
    assert client_for(guard).get(url).context["bills"] is None


def test_the_desk_home_and_the_tenant_page_show_the_cards(clerk, tenant_a, tenant_a_admin, desk):
    factories.make_access_pass(tenant_a, tenant_a_admin, "requested", desk=desk)
    home = clerk.get(reverse("desk:home")).content.decode()
    assert reverse("desk:permits:access_pass_list") + "?status=requested" in home
    page = clerk.get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert "张伟" in page


def test_the_portal_menu_offers_the_cards_to_those_who_may_open_them(client_for, tenant_a_admin, tenant_a_staff):
    from tenants.models import Membership

    url = reverse("portal:permits:access_pass_list")
    assert url in client_for(tenant_a_admin).get(reverse("portal:home")).content.decode()
    assert url not in client_for(tenant_a_staff).get(reverse("portal:home")).content.decode()
    Membership.objects.filter(user=tenant_a_staff).update(areas=["access_passes"])
    assert client_for(tenant_a_staff).get(url).status_code == 200
