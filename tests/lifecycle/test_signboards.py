"""Directory signboards (水牌): order, text approval against the registered name, the production
fee, produced, installed, changed (the new board replaces the old) and removed; the directory."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import Bill
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import transition
from tenants import services
from tenants.models import Signboard
from tests import factories
from tests.lifecycle.helpers import installed_board

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]


def detail(board) -> str:
    return f"/desk/signboards/{board.pk}/"


def actions(client, board) -> list[str]:
    return sorted(a.name for a in client.get(detail(board)).context["actions"])


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def boss(client_for, supervisor):
    return client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")


def order(client, tenant, building, text, **extra):
    data = {"building": building.pk, "position": "lobby", "text": text, **extra}
    response = client.post(f"/desk/tenants/{tenant.pk}/signboard/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    board = Signboard.objects.latest("id")
    assert response["Location"] == detail(board)
    return board


def test_the_order_form_suggests_the_registered_name(clerk, tenant_a):
    form = clerk.get(f"/desk/tenants/{tenant_a.pk}/signboard/").context["form"]
    assert form.initial == {"text": tenant_a.name}


def test_a_board_with_the_registered_name_goes_through_and_bills_the_production_fee(clerk, tenant_a, building):
    board = order(clerk, tenant_a, building, tenant_a.name)
    assert (board.status, board.applicant.username) == ("ordered", "desk")
    assert actions(clerk, board) == ["approve", "reject"]

    assert clerk.post(detail(board), {"action": "approve"}).status_code == 302
    board.refresh_from_db()
    assert board.status == "approved"
    bill = Bill.objects.get(tenant=tenant_a, source_key=f"signboard:{board.pk}")
    line = bill.lines.get()
    assert (bill.total, line.fee_item.code, bill.status) == (300, "signboard", "open")
    assert tenant_a.name in line.description

    assert clerk.post(detail(board), {"action": "produce"}).status_code == 302
    assert clerk.post(detail(board), {"action": "install"}).status_code == 302
    board.refresh_from_db()
    assert (board.status, board.installed_on) == ("installed", timezone.localdate())
    assert Bill.objects.filter(source_key=f"signboard:{board.pk}").count() == 1

    assert clerk.post(detail(board), {"action": "remove"}).status_code == 302
    board.refresh_from_db()
    assert (board.status, board.removed_on) == ("removed", timezone.localdate())
    assert list(
        AuditEvent.objects.filter(object_id=board.pk, action__startswith="signboard.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "signboard.ordered",
        "signboard.approved",
        "signboard.produced",
        "signboard.installed",
        "signboard.removed",
    ]


def test_a_text_other_than_the_registered_name_needs_a_supervisor(clerk, boss, tenant_a, building):
    board = order(clerk, tenant_a, building, "甲方科技 JIAFANG")
    page = clerk.get(detail(board))
    assert "differs from the registered company name" in page.content.decode()
    assert actions(clerk, board) == ["reject"]  # no approve button for the desk
    assert 'value="approve"' not in page.content.decode()

    # a desk POST is refused with a notice; allowing the text is not the desk's to do
    response = clerk.post(detail(board), {"action": "approve"}, follow=True)
    assert "This action is not possible in the current state." in response.content.decode()
    assert clerk.post(detail(board), {"action": "allow_mismatch", "note": "品牌名"}).status_code == 403
    board.refresh_from_db()
    assert (board.status, board.name_mismatch_allowed) == ("ordered", False)
    assert not Bill.objects.exists()

    # the supervisor allows it, with a reason
    assert actions(boss, board) == ["allow_mismatch", "reject"]
    assert boss.post(detail(board), {"action": "allow_mismatch", "note": ""}).status_code == 400
    assert boss.post(detail(board), {"action": "allow_mismatch", "note": "注册商标，已核对"}).status_code == 302
    board.refresh_from_db()
    assert (board.status, board.name_mismatch_allowed) == ("ordered", True)
    assert AuditEvent.objects.filter(
        object_id=board.pk, action="signboard.mismatch_allowed", note="注册商标，已核对"
    ).exists()

    # now the desk approves, and the fee is billed
    assert actions(clerk, board) == ["approve", "reject"]
    assert clerk.post(detail(board), {"action": "approve"}).status_code == 302
    board.refresh_from_db()
    assert board.status == "approved"
    assert Bill.objects.filter(source_key=f"signboard:{board.pk}", total=300).exists()


def test_a_rejected_board_needs_a_reason_and_bills_nothing(clerk, tenant_a, building):
    board = order(clerk, tenant_a, building, "写错的名字")
    assert clerk.post(detail(board), {"action": "reject", "note": ""}).status_code == 400
    assert clerk.post(detail(board), {"action": "reject", "note": "与营业执照不符"}).status_code == 302
    board.refresh_from_db()
    assert board.status == "rejected"
    assert actions(clerk, board) == []
    assert not Bill.objects.exists()


def test_a_changed_text_replaces_the_installed_board_when_installed(clerk, tenant_a, building, desk):
    old = installed_board(tenant_a, desk)
    page = clerk.get(detail(old))
    assert f"/desk/tenants/{tenant_a.pk}/signboard/?replaces={old.pk}" in page.content.decode()
    form = clerk.get(f"/desk/tenants/{tenant_a.pk}/signboard/?replaces={old.pk}").context["form"]
    assert form.initial["text"] == old.text

    response = clerk.post(
        f"/desk/tenants/{tenant_a.pk}/signboard/?replaces={old.pk}",
        {"building": building.pk, "position": "lobby", "text": tenant_a.name, "text_en": "Jiafang Tech"},
    )
    new = Signboard.objects.get(replaces=old)
    assert response.status_code == 302
    services.signboard_approve(obj=new, by=desk)
    transition(new, "produce", by=desk)
    old.refresh_from_db()
    assert old.status == "installed"  # still up while the new one is made

    assert clerk.post(detail(new), {"action": "install"}).status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (new.status, old.status, old.removed_on) == ("installed", "removed", timezone.localdate())
    assert AuditEvent.objects.filter(object_id=old.pk, action="signboard.removed", note__contains=new.text).exists()


def test_another_tenants_board_cannot_be_replaced(clerk, tenant_a, tenant_b, desk, building):
    board_b = installed_board(tenant_b, desk)
    new = order(clerk, tenant_a, building, tenant_a.name, replaces=board_b.pk)
    assert new.replaces is None  # the query string is checked against the tenant; the POST field is ignored
    response = clerk.post(
        f"/desk/tenants/{tenant_a.pk}/signboard/?replaces={board_b.pk}",
        {"building": building.pk, "position": "lobby", "text": tenant_a.name},
    )
    assert response.status_code == 302
    assert not Signboard.objects.filter(replaces=board_b).exists()
    with pytest.raises(ValidationError):
        services.signboard_order(tenant=tenant_a, building=building, text=tenant_a.name, by=desk, replaces=board_b)


def test_a_floor_directory_needs_its_floor(clerk, tenant_a, building):
    response = clerk.post(
        f"/desk/tenants/{tenant_a.pk}/signboard/", {"building": building.pk, "position": "floor", "text": "x"}
    )
    assert response.status_code == 200
    assert "floor_number" in response.context["form"].errors
    assert not Signboard.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"building": "999999", "position": "lobby", "text": "x"},
        {"building": "abc", "position": "lobby", "text": "x"},
        {"position": "roof", "text": "x"},
        {"position": "lobby", "text": ""},
        {"position": "lobby", "text": "x" * 61},
        {"position": "floor", "floor_number": "abc", "text": "x"},
    ],
)
def test_bad_signboard_orders_are_field_errors(clerk, tenant_a, building, data):
    data = {"building": building.pk, **data}
    response = clerk.post(f"/desk/tenants/{tenant_a.pk}/signboard/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Signboard.objects.exists()


def test_tenant_admin_orders_a_signboard_from_the_portal(client_for, tenant_a_admin, tenant_a, building):
    portal = client_for(tenant_a_admin)
    assert portal.get("/portal/signboard/").context["form"].initial == {"text": tenant_a.name}
    response = portal.post("/portal/signboard/", {"building": building.pk, "position": "lobby", "text": tenant_a.name})
    assert response.status_code == 302
    board = Signboard.objects.get()
    assert (board.tenant, board.applicant, board.status) == (tenant_a, tenant_a_admin, "ordered")


def test_tenant_staff_may_not_order_a_signboard(client_for, tenant_a_staff, building, tenant_a):
    portal = client_for(tenant_a_staff)
    assert portal.get("/portal/signboard/").status_code == 403
    data = {"building": building.pk, "position": "lobby", "text": tenant_a.name}
    assert portal.post("/portal/signboard/", data).status_code == 403
    assert not Signboard.objects.exists()


# --- the directory -------------------------------------------------------------------------------


def test_directory_lists_the_installed_boards_of_the_chosen_building(clerk, tenant_a, tenant_b, desk, building):
    other_building = factories.BuildingFactory(code="B", name="金源CBD现代城B座")
    lobby = installed_board(tenant_a, desk)
    floor = installed_board(tenant_b, desk, position="floor", floor_number=15)
    removed = installed_board(factories.TenantFactory(name="已迁出有限公司"), desk)
    transition(removed, "remove", by=desk)
    ordered = services.signboard_order(tenant=tenant_b, building=building, text="未安装的牌子", by=desk)
    elsewhere = installed_board(factories.TenantFactory(name="B座公司"), desk, building=other_building)

    response = clerk.get(f"/desk/directory/?building={building.pk}")
    assert response.status_code == 200
    assert response.context["building"] == building
    assert list(response.context["boards"]) == [lobby, floor]  # lobby first, then floor by floor
    page = response.content.decode()
    assert tenant_a.name in page and tenant_b.name in page
    for absent in (removed.text, ordered.text, elsewhere.text):
        assert absent not in page

    response = clerk.get(f"/desk/directory/?building={other_building.pk}")
    assert list(response.context["boards"]) == [elsewhere]


@pytest.mark.parametrize("choice", ["", "garbage", "999999"])
def test_directory_falls_back_to_the_first_building(clerk, building, choice):
    factories.BuildingFactory(code="Z")
    response = clerk.get(f"/desk/directory/?building={choice}")
    assert response.status_code == 200
    assert response.context["building"] == building


def test_directory_without_buildings_is_empty(clerk, db):
    response = clerk.get("/desk/directory/")
    assert response.status_code == 200
    assert response.context["boards"] == []


def test_signboard_list_filters_by_status(clerk, tenant_a, tenant_b, desk, building):
    up = installed_board(tenant_a, desk)
    services.signboard_order(tenant=tenant_b, building=building, text=tenant_b.name, by=desk)
    response = clerk.get("/desk/signboards/?status=installed")
    assert list(response.context["object_list"]) == [up]
