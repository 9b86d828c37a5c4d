"""Move-in (迁入) at the desk: the checklist step by step, the supervisor's confirmation, the
occupancies it starts and the portal invitation it sends."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from billing.models import Bill
from jinyuan.attachments.services import attachment_void
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import transition
from tenants import selectors, services
from tenants.models import Membership, MoveIn, MoveInUnit, Occupancy
from tests import factories
from tests.lifecycle.helpers import INVITE_LINK, PDF, REQUIRED_DOCUMENTS, checklist_state, finish_move_in, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]

ALL_OPEN = {
    "documents": False,
    "agreement": False,
    "first_charges": False,
    "keys": False,
    "inspection": False,
    "signboard": False,
}


def detail(move_in) -> str:
    return f"/desk/move-ins/{move_in.pk}/"


def page_state(client, move_in) -> dict[str, bool]:
    response = client.get(detail(move_in))
    assert response.status_code == 200
    return {row.item.code: row.state.done for row in response.context["checklist"].rows}


def action_names(client, move_in) -> list[str]:
    return [a.name for a in client.get(detail(move_in)).context["actions"]]


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def boss(client_for, supervisor):
    return client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")


def test_whole_move_in_through_the_desk_pages(clerk, boss, newcomer, start, django_capture_on_commit_callbacks):
    tenant, _units = newcomer
    response = clerk.post(
        f"/desk/tenants/{tenant.pk}/move-in/", {"units": "a-1801，A-1802", "start_date": start.isoformat()}
    )
    move_in = MoveIn.objects.get(tenant=tenant)
    assert response.status_code == 302
    assert response["Location"] == detail(move_in)
    assert sorted(move_in.units.values_list("unit__number", flat=True)) == ["A-1801", "A-1802"]
    assert page_state(clerk, move_in) == ALL_OPEN

    # documents: all three kinds needed
    for i, kind in enumerate(REQUIRED_DOCUMENTS):
        assert page_state(clerk, move_in)["documents"] is False
        response = clerk.post(detail(move_in), {"step": "documents", "kind": kind, "title": "", "file": upload()})
        assert response.status_code == 302, response.content.decode()[:500]
        assert selectors.archive_of(tenant).count() == i + 1
    assert page_state(clerk, move_in)["documents"] is True

    # agreement
    signed = (start - timedelta(days=1)).isoformat()
    assert clerk.post(detail(move_in), {"step": "agreement", "signed_on": signed, "signer": "黄丽"}).status_code == 302
    assert page_state(clerk, move_in)["agreement"] is True

    # keys, inspection with meter readings, one unit at a time
    rows = list(MoveInUnit.objects.filter(move_in=move_in).order_by("unit__number"))
    for i, row in enumerate(rows):
        handover = {"step": "handover", "row": row.pk, "keys": 3}
        assert clerk.post(detail(move_in), handover).status_code == 302
        data = {"step": "inspection", "row": row.pk, "water": "100.5", "electricity": "2000", "condition": "完好"}
        assert clerk.post(detail(move_in), data).status_code == 302
        state = page_state(clerk, move_in)
        assert state["keys"] is state["inspection"] is (i == len(rows) - 1)
    row = MoveInUnit.objects.get(pk=rows[0].pk)
    assert (row.keys_handed, row.water_reading, row.electricity_reading) == (
        3,
        Decimal("100.50"),
        Decimal("2000.00"),
    )

    # signboard: not wanted
    assert clerk.post(detail(move_in), {"step": "signboard"}).status_code == 302
    assert page_state(clerk, move_in)["signboard"] is True

    # first charges: previewed, billed, paid
    preview = clerk.get(f"/desk/move-ins/{move_in.pk}/charges/")
    assert preview.status_code == 200
    assert preview.context["total"] == Decimal("19704.00")
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/charges/")
    bill = Bill.objects.get(tenant=tenant, source_key=f"movein:{move_in.pk}")
    assert response.status_code == 302
    back = f"%2Fdesk%2Fmove-ins%2F{move_in.pk}%2F"
    assert response["Location"] == f"/desk/billing/accounts/{tenant.pk}/pay/?bill={bill.pk}&next={back}"
    assert clerk.get(response["Location"]).context["form"].initial == {"bills": [bill.pk], "amount": bill.total}
    assert page_state(clerk, move_in)["first_charges"] is False
    pay = clerk.post(
        f"/desk/billing/accounts/{tenant.pk}/pay/",
        {"amount": str(bill.total), "method": "bank", "bills": [bill.pk], "submission_key": str(uuid.uuid4())},
    )
    assert pay.status_code == 302
    assert page_state(clerk, move_in) == dict.fromkeys(ALL_OPEN, True)

    # the supervisor now sees the button and confirms
    assert "confirm" in action_names(boss, move_in)
    with django_capture_on_commit_callbacks(execute=True):
        response = boss.post(detail(move_in), {"action": "confirm"})
    assert response.status_code == 302
    move_in.refresh_from_db()
    assert move_in.status == "confirmed"
    assert sorted(Occupancy.objects.filter(tenant=tenant).values_list("unit__number", "start", "end")) == [
        ("A-1801", start, None),
        ("A-1802", start, None),
    ]
    (invitation,) = [m for m in mail.outbox if INVITE_LINK.search(m.body)]
    assert invitation.to == ["huangli@example.com"]
    admin = Membership.objects.get(tenant=tenant)
    assert (admin.role, admin.is_active, admin.user.email, admin.user.has_usable_password()) == (
        "admin",
        True,
        "huangli@example.com",
        False,
    )
    assert AuditEvent.objects.filter(action="movein.portal_invited", object_id=move_in.pk).exists()


def test_first_charges_are_the_prorated_property_fee_per_unit_and_the_deposits(move_in, desk):
    from billing.checklist import bill_first_charges

    bill = bill_first_charges(move_in=move_in, by=desk)
    lines = [(x.fee_item.code, x.unit.number if x.unit else None, x.quantity, x.amount) for x in bill.lines.all()]
    assert lines == [
        # 28.00 per m² and month × area × 21/30 (from the 10th of a 30-day month)
        ("property_fee", "A-1801", Decimal("105.0000"), Decimal("2940.00")),
        ("property_fee", "A-1802", Decimal("63.0000"), Decimal("1764.00")),
        ("move_in_deposit", None, Decimal("1.0000"), Decimal("5000.00")),
        ("renovation_deposit", None, Decimal("1.0000"), Decimal("10000.00")),
    ]
    assert bill.total == Decimal("19704.00")
    assert all("(21 of 30 days)" in x.description for x in bill.lines.filter(fee_item__code="property_fee"))


def test_first_charges_are_billed_once(clerk, move_in, desk):
    from billing.checklist import bill_first_charges

    bill_first_charges(move_in=move_in, by=desk)
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/charges/", follow=True)
    assert "already been billed" in response.content.decode()
    assert Bill.objects.filter(source_key=f"movein:{move_in.pk}").count() == 1


def test_confirm_is_neither_offered_nor_accepted_until_every_item_is_done(boss, move_in, desk):
    finish_move_in(move_in, desk)
    # take one item back: a document voided
    licence = selectors.archive_of(move_in.tenant).get(kind="licence")
    attachment_void(attachment=licence, by=desk, reason="过期")
    assert checklist_state(move_in)["documents"] is False

    page = boss.get(detail(move_in))
    assert [a.name for a in page.context["actions"]] == ["cancel"]
    assert 'value="confirm"' not in page.content.decode()

    response = boss.post(detail(move_in), {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "This action is not possible in the current state." in response.content.decode()
    move_in.refresh_from_db()
    assert move_in.status == "open"
    assert not Occupancy.objects.filter(tenant=move_in.tenant).exists()
    assert not Membership.objects.filter(tenant=move_in.tenant).exists()


def test_front_desk_cannot_confirm(clerk, ready_move_in):
    assert "confirm" not in action_names(clerk, ready_move_in)
    assert clerk.post(detail(ready_move_in), {"action": "confirm"}).status_code == 403
    ready_move_in.refresh_from_db()
    assert ready_move_in.status == "open"


def test_invitation_link_sets_the_password_once(client_for, moved_in, password):
    _tenant, admin = moved_in
    (invitation,) = [m for m in mail.outbox if INVITE_LINK.search(m.body)]
    link = INVITE_LINK.search(invitation.body).group(1)

    browser = client_for(None, HTTP_ACCEPT_LANGUAGE="en")
    response = browser.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")
    response = browser.post(set_password_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert browser.get("/portal/").status_code == 200
    admin.refresh_from_db()
    assert admin.check_password(password)

    again = client_for(None, HTTP_ACCEPT_LANGUAGE="en").get(link, follow=True)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "This link has been used or has expired" in again.content.decode()


@pytest.mark.usefixtures("moved_in")
def test_a_forged_invitation_link_is_refused(client_for):
    link = INVITE_LINK.search(next(m.body for m in mail.outbox if INVITE_LINK.search(m.body))).group(1)
    forged = link.rsplit("/", 2)[0] + "/abc-123def/"
    response = client_for(None, HTTP_ACCEPT_LANGUAGE="en").get(forged, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_a_tenant_with_an_admin_gets_no_second_user(
    tenant_a, tenant_a_admin, building, desk, supervisor, price_list, start, django_capture_on_commit_callbacks
):
    unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=19), number="A-1901")
    move_in = services.movein_open(tenant=tenant_a, units=[unit], start_date=start, by=desk)
    finish_move_in(move_in, desk)
    users = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.movein_confirm(obj=MoveIn.objects.get(pk=move_in.pk), by=supervisor)
    assert get_user_model().objects.count() == users
    assert list(Membership.objects.filter(tenant=tenant_a).values_list("user", flat=True)) == [tenant_a_admin.pk]
    assert not [m for m in mail.outbox if INVITE_LINK.search(m.body)]
    assert Occupancy.objects.filter(tenant=tenant_a, unit=unit, start=start).exists()


def test_confirm_without_a_contact_email_is_refused_and_changes_nothing(boss, ready_move_in):
    tenant = ready_move_in.tenant
    tenant.contacts.update(email="")
    response = boss.post(detail(ready_move_in), {"action": "confirm"}, follow=True)
    assert "no contact e-mail" in response.content.decode()
    ready_move_in.refresh_from_db()
    assert ready_move_in.status == "open"
    assert not Occupancy.objects.filter(tenant=tenant).exists()
    assert not Membership.objects.filter(tenant=tenant).exists()


def test_a_signboard_ordered_after_opening_ticks_the_signboard_item(move_in, desk):
    from tests.lifecycle.helpers import board_for

    assert checklist_state(move_in)["signboard"] is False
    board_for(move_in.tenant, desk)
    assert checklist_state(move_in)["signboard"] is True


def test_supervisor_cancels_a_move_in_with_a_reason(boss, move_in):
    assert boss.post(detail(move_in), {"action": "cancel", "note": ""}).status_code == 400
    assert boss.post(detail(move_in), {"action": "cancel", "note": "客户放弃租赁"}).status_code == 302
    move_in.refresh_from_db()
    assert move_in.status == "cancelled"
    # a cancelled move-in takes no more steps
    row = move_in.units.first()
    response = boss.post(detail(move_in), {"step": "handover", "row": row.pk, "keys": 1}, follow=True)
    assert "no longer in progress" in response.content.decode()
    assert MoveInUnit.objects.get(pk=row.pk).keys_handed is None


# --- opening a move-in: refused input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ("A-9999", "Unknown unit numbers: A-9999"),
        ("A-1801, B-404", "Unknown unit numbers: B-404"),
        (" , ", "Enter at least one unit number."),
        ("", "This field is required."),
    ],
)
def test_opening_with_unit_numbers_that_do_not_exist_is_a_field_error(clerk, newcomer, start, units, message):
    tenant, _units = newcomer
    response = clerk.post(f"/desk/tenants/{tenant.pk}/move-in/", {"units": units, "start_date": start.isoformat()})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["units"])
    assert not MoveIn.objects.exists()


def test_opening_for_an_occupied_unit_is_a_field_error(clerk, newcomer, unit_a, tenant_a, start):
    tenant, _units = newcomer
    response = clerk.post(
        f"/desk/tenants/{tenant.pk}/move-in/", {"units": unit_a.number, "start_date": start.isoformat()}
    )
    assert response.status_code == 200
    assert "Already occupied" in " ".join(response.context["form"].errors["units"])
    assert not MoveIn.objects.exists()


def test_opening_a_second_move_in_for_the_same_unit_is_a_field_error(clerk, move_in, start):
    other = factories.TenantFactory()
    response = clerk.post(f"/desk/tenants/{other.pk}/move-in/", {"units": "A-1801", "start_date": start.isoformat()})
    assert response.status_code == 200
    assert "Another move-in is open" in " ".join(response.context["form"].errors["units"])
    assert MoveIn.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"start_date": "garbage"}, "start_date"),
        ({"start_date": "2026-11-10", "lease_end": "2026-11-10"}, "lease_end"),
        ({"start_date": "2026-11-10", "lease_end": "2026-11-01"}, "lease_end"),
    ],
)
def test_opening_with_bad_dates_is_a_field_error(clerk, newcomer, data, field):
    tenant, _units = newcomer
    response = clerk.post(f"/desk/tenants/{tenant.pk}/move-in/", {"units": "A-1801", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MoveIn.objects.exists()


# --- steps: refused input, never a 500 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"water": "abc", "electricity": "1"}, "water"),
        ({"water": "1", "electricity": "abc"}, "electricity"),
        ({"water": "-1", "electricity": "1"}, "water"),
        ({"water": "", "electricity": "1"}, "water"),
        ({"water": "1e400", "electricity": "1"}, "water"),
        ({"water": "12345678901234", "electricity": "1"}, "water"),
    ],
)
def test_a_bad_meter_reading_is_a_field_error_and_nothing_is_saved(clerk, move_in, data, field):
    row = move_in.units.first()
    response = clerk.post(detail(move_in), {"step": "inspection", "row": row.pk, "condition": "", **data})
    assert response.status_code == 400
    assert response.context["failed_step"] == "inspection"
    assert field in response.context["step_forms"]["inspection"][row.pk].errors
    row.refresh_from_db()
    assert (row.inspected_at, row.water_reading, row.electricity_reading) == (None, None, None)


@pytest.mark.parametrize("keys", ["-1", "x", "501", ""])
def test_bad_key_counts_are_field_errors(clerk, move_in, keys):
    row = move_in.units.first()
    response = clerk.post(detail(move_in), {"step": "handover", "row": row.pk, "keys": keys})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.keys_handed is None


def test_an_agreement_signed_in_the_future_is_a_field_error(clerk, move_in):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = clerk.post(detail(move_in), {"step": "agreement", "signed_on": tomorrow, "signer": "黄丽"})
    assert response.status_code == 400
    assert "signed_on" in response.context["step_forms"]["agreement"].errors
    move_in.refresh_from_db()
    assert move_in.agreement_signed_on is None


def test_a_step_for_a_row_of_another_move_in_is_404(clerk, move_in, tenant_a, unit_a, desk, start):
    other_unit = factories.UnitFactory(number="A-2001")
    other = services.movein_open(tenant=tenant_a, units=[other_unit], start_date=start, by=desk)
    foreign_row = other.units.get()
    response = clerk.post(detail(move_in), {"step": "handover", "row": foreign_row.pk, "keys": 1})
    assert response.status_code == 404
    assert MoveInUnit.objects.get(pk=foreign_row.pk).keys_handed is None


def test_an_unknown_step_is_refused(clerk, move_in):
    assert clerk.post(detail(move_in), {"step": "teleport"}).status_code == 403


@pytest.mark.parametrize("persona_name", ["engineer", "guard", "finance"])
def test_only_the_desk_and_supervisors_take_steps(client_for, persona, move_in, persona_name):
    client = client_for(persona(persona_name))
    assert client.get(detail(move_in)).status_code == 200
    response = client.post(detail(move_in), {"step": "agreement", "signed_on": "2026-01-01", "signer": "x"})
    assert response.status_code == 403
    move_in.refresh_from_db()
    assert move_in.agreement_signed_on is None


def test_agreement_scan_is_filed_in_the_archive(clerk, move_in):
    data = {"step": "agreement", "signed_on": "2026-01-05", "signer": "黄丽", "file": upload(PDF)}
    assert clerk.post(detail(move_in), data).status_code == 302
    assert selectors.archive_of(move_in.tenant).filter(kind="agreement").count() == 1


def test_the_confirm_service_refuses_an_unfinished_move_in_and_forbids_the_desk(move_in, desk, supervisor):
    from django.core.exceptions import PermissionDenied

    from jinyuan.workflow.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        services.movein_confirm(obj=MoveIn.objects.get(pk=move_in.pk), by=supervisor)
    finish_move_in(move_in, desk)
    with pytest.raises(PermissionDenied):
        services.movein_confirm(obj=MoveIn.objects.get(pk=move_in.pk), by=desk)
    assert MoveIn.objects.get(pk=move_in.pk).status == "open"
    assert not Occupancy.objects.filter(tenant=move_in.tenant).exists()


def test_first_charges_cover_the_days_the_occupancy_runs_when_the_lease_ends_in_the_first_month(
    newcomer, desk, supervisor, start, django_capture_on_commit_callbacks
):
    tenant, (unit, _other) = newcomer
    move_in = services.movein_open(
        tenant=tenant, units=[unit], start_date=start, lease_end=start + timedelta(days=10), by=desk
    )
    bill = finish_move_in(move_in, desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.movein_confirm(obj=MoveIn.objects.get(pk=move_in.pk), by=supervisor)
    occupancy = Occupancy.objects.get(tenant=tenant)
    line = bill.lines.get(fee_item__code="property_fee")
    billed_days = (line.period_end - line.period_start).days + 1
    assert billed_days == (occupancy.end - occupancy.start).days == 11  # the lease's last day is its own


def test_an_agreement_signed_today_is_accepted(clerk, move_in):
    today = timezone.localdate()
    data = {"step": "agreement", "signed_on": today.isoformat(), "signer": "黄丽"}
    assert clerk.post(detail(move_in), data).status_code == 302
    move_in.refresh_from_db()
    assert move_in.agreement_signed_on == today


def test_first_charges_of_a_cancelled_move_in_are_not_billed(clerk, move_in, supervisor):
    transition(move_in, "cancel", by=supervisor, note="客户放弃")
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/charges/", follow=True)
    assert "no longer in progress" in response.content.decode()
    assert not Bill.objects.exists()
