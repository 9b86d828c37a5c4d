"""Who may open each move-in, move-out, signboard, directory and archive page: anonymous users
go to the login page, every staff role reads the desk registers, only the front desk and
supervisors open or change them, tenant users get 403 at the desk and 404 on another company's
records in the portal; a refused POST changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants import services
from tenants.models import MoveIn, MoveOut, Signboard
from tests import factories
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    MISSING,
    PORTAL_ADMIN_PAGE,
    PORTAL_PAGE,
    TENANT_A_RECORD,
    Page,
    assert_page,
    by_page,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

PAGES = [
    Page("desk:tenants:movein_list", DESK_PAGE),
    Page("desk:tenants:movein_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:tenants:movein_detail", DESK_PAGE, "move_in"),
    Page("desk:tenants:moveout_list", DESK_PAGE),
    Page("desk:tenants:moveout_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:tenants:moveout_detail", DESK_PAGE, "move_out"),
    Page("desk:tenants:signboard_list", DESK_PAGE),
    Page("desk:tenants:signboard_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:tenants:signboard_detail", DESK_PAGE, "signboard"),
    Page("desk:tenants:directory", DESK_PAGE),
    Page("desk:tenants:movein_new", DESK_ROLES_PAGE, "tenant"),
    Page("desk:tenants:movein_start", DESK_ROLES_PAGE),
    Page("desk:tenants:moveout_new", DESK_ROLES_PAGE, "tenant"),
    Page("desk:tenants:signboard_new", DESK_ROLES_PAGE, "tenant"),
    Page("desk:tenants:archive_upload", DESK_ROLES_PAGE, "tenant"),
    Page("portal:home", PORTAL_PAGE),
    Page("portal:tenants:movein_detail", TENANT_A_RECORD, "move_in"),
    Page("portal:tenants:moveout_new", PORTAL_ADMIN_PAGE),
    Page("portal:tenants:moveout_detail", TENANT_A_RECORD, "move_out"),
    Page("portal:tenants:signboard_new", PORTAL_ADMIN_PAGE),
]


@pytest.fixture
def records(tenant_a, tenant_b, tenant_a_admin, desk):
    """Tenant A's open move-in (a new unit), open move-out and signboard."""
    unit = factories.UnitFactory(number="A-2201")
    today = timezone.localdate()
    move_in = services.movein_open(tenant=tenant_a, units=[unit], start_date=today, by=desk)
    move_out = services.moveout_open(tenant=tenant_a, planned_date=today + timedelta(days=30), by=tenant_a_admin)
    board = services.signboard_order(
        tenant=tenant_a, building=unit.floor.building, text=tenant_a.name, by=tenant_a_admin
    )
    return {
        "tenant": tenant_a.pk,
        "move_in": move_in.pk,
        "move_out": move_out.pk,
        "signboard": board.pk,
    }


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/desk/move-ins/999999/", "desk"),
        ("/desk/move-outs/999999/", "desk"),
        ("/desk/signboards/999999/", "desk"),
        ("/desk/tenants/999999/move-in/", "desk"),
        ("/desk/tenants/999999/move-out/", "desk"),
        ("/desk/tenants/999999/signboard/", "desk"),
        ("/desk/tenants/999999/archive/", "desk"),
        ("/portal/move-ins/999999/", "tenant_a_admin"),
        ("/portal/move-outs/999999/", "tenant_a_admin"),
    ],
)
def test_an_unknown_record_is_404(client_for, persona, url, who):
    assert client_for(persona(who)).get(url).status_code == MISSING


@pytest.mark.parametrize("page", ["move-in", "move-out", "signboard", "archive"])
def test_anonymous_gets_the_login_page_for_an_unknown_tenant_too(client_for, page):
    assert client_for(None).get(f"/desk/tenants/999999/{page}/").status_code == LOGIN_REDIRECT


def test_anonymous_is_sent_to_the_login_page_and_back(client_for, records):
    url = f"/desk/move-ins/{records['move_in']}/"
    assert client_for(None).get(url)["Location"] == f"/login/?next={url}"


# --- refused POSTs change nothing ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["finance", "engineer", "guard", "tenant_a_admin", "anonymous"])
def test_a_move_in_step_by_anyone_but_the_desk_is_refused(client_for, persona, records, who):
    url = f"/desk/move-ins/{records['move_in']}/"
    response = client_for(persona(who)).post(url, {"step": "signboard"})
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    assert MoveIn.objects.get(pk=records["move_in"]).signboard_not_needed is False


@pytest.mark.parametrize("who", ["finance", "engineer", "guard", "tenant_a_admin"])
def test_cancelling_a_move_out_by_anyone_but_the_desk_is_refused(client_for, persona, records, who):
    url = f"/desk/move-outs/{records['move_out']}/"
    response = client_for(persona(who)).post(url, {"action": "cancel", "note": "x"})
    assert response.status_code == FORBIDDEN
    assert MoveOut.objects.get(pk=records["move_out"]).status == "open"


@pytest.mark.parametrize("who", ["desk", "finance", "engineer", "tenant_a_admin"])
def test_confirming_a_move_in_by_anyone_but_a_supervisor_is_refused(client_for, persona, records, who):
    response = client_for(persona(who)).post(f"/desk/move-ins/{records['move_in']}/", {"action": "confirm"})
    assert response.status_code == FORBIDDEN
    assert MoveIn.objects.get(pk=records["move_in"]).status == "open"


@pytest.mark.parametrize("who", ["finance", "engineer", "guard", "tenant_a_admin"])
def test_approving_a_signboard_by_anyone_but_the_desk_is_refused(client_for, persona, records, who):
    response = client_for(persona(who)).post(f"/desk/signboards/{records['signboard']}/", {"action": "approve"})
    assert response.status_code == FORBIDDEN
    assert Signboard.objects.get(pk=records["signboard"]).status == "ordered"


@pytest.mark.parametrize("who", ["finance", "engineer", "tenant_a_admin"])
def test_opening_a_move_out_at_the_desk_by_anyone_but_the_desk_is_refused(client_for, persona, tenant_b, who):
    planned = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client_for(persona(who)).post(f"/desk/tenants/{tenant_b.pk}/move-out/", {"planned_date": planned})
    assert response.status_code == FORBIDDEN
    assert not MoveOut.objects.filter(tenant=tenant_b).exists()


def test_unknown_actions_are_refused(client_for, desk, records):
    client = client_for(desk)
    for url in (f"/desk/move-ins/{records['move_in']}/", f"/desk/signboards/{records['signboard']}/"):
        assert client.post(url, {"action": "delete"}).status_code == FORBIDDEN
        assert client.post(url, {}).status_code == FORBIDDEN
