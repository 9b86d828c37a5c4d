"""What a clerk stumbles on in the move-in and move-out pages: registers, sub-step messages,
the supervisor's notice that a move-in is ready."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


def test_move_in_list_shows_the_room_numbers(clerk, move_in):
    response = clerk.get(reverse("desk:tenants:movein_list"))
    assert response.status_code == 200
    assert "A-1801, A-1802" in response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_handover_step_says_what_was_done(clerk, move_in):
    row = move_in.units.get(unit__number="A-1801")
    data = {"step": "handover", "row": row.pk, "keys": "3"}
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/", data, follow=True)
    assert "A-1801: 3 keys handed over." in messages_of(response)


def test_a_signboard_ordered_from_the_move_in_returns_to_it_with_a_message(clerk, move_in, building):
    back = f"/desk/move-ins/{move_in.pk}/"
    page = clerk.get(back).content.decode()
    url = reverse("desk:tenants:signboard_new", args=[move_in.tenant_id]) + f"?next={back}"
    assert url in page
    data = {"building": building.pk, "position": "lobby", "text": move_in.tenant.name}
    response = clerk.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert f"Signboard ordered: {move_in.tenant.name}" in messages_of(response)


def test_paying_the_first_charges_returns_to_the_move_in_and_offers_the_receipt(clerk, move_in):
    import uuid

    from billing.models import Payment

    charges = clerk.post(reverse("desk:billing:movein_charges", args=[move_in.pk]), follow=True)
    (message,) = messages_of(charges)
    assert message.startswith("Bill issued: ZD-") and message.endswith("¥19,704.00")
    bill = charges.context["form"].initial["bills"][0]
    form_url = charges.redirect_chain[-1][0]
    assert "next=" in form_url
    data = {"amount": "19704.00", "method": "bank", "bills": [bill], "submission_key": str(uuid.uuid4())}
    response = clerk.post(form_url, data, follow=True)
    payment = Payment.objects.get()
    assert response.redirect_chain[-1][0] == f"/desk/move-ins/{move_in.pk}/"
    assert f"Payment recorded: receipt {payment.receipt.number}, ¥19,704.00." in messages_of(response)
    receipt_page = clerk.get(reverse("desk:billing:payment_detail", args=[payment.pk])).content.decode()
    assert "Print receipt" in receipt_page
    assert "¥19,704.00" in receipt_page


def test_a_damage_charge_at_the_final_inspection_names_its_bill(clerk, desk, tenant_a, unit_a):
    from datetime import timedelta

    from django.utils import timezone

    from tenants import services

    move_out = services.moveout_open(tenant=tenant_a, planned_date=timezone.localdate() + timedelta(days=5), by=desk)
    row = move_out.units.get()
    data = {
        "step": "inspection",
        "row": row.pk,
        "water": "10",
        "electricity": "20",
        "damage": "墙面破损",
        "damage_charge": "1300",
    }
    response = clerk.post(f"/desk/move-outs/{move_out.pk}/", data, follow=True)
    (message,) = messages_of(response)
    assert message.startswith(f"{unit_a.number}: final inspection recorded. Bill issued: ZD-")
    assert message.endswith("¥1,300.00")


def test_supervisor_is_told_once_when_a_move_in_is_ready_and_home_counts_agree(
    client_for, supervisor, move_in, desk, django_capture_on_commit_callbacks
):
    from jinyuan.workflow.models import Notification
    from tenants import services
    from tests.lifecycle.helpers import finish_move_in

    boss = client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")

    def home_count() -> int:
        panels = boss.get(reverse("desk:home")).context["panels"]
        return next(p.count for p in panels if str(p.title) == "Move-ins to confirm")

    def unread() -> list[str]:
        # Rendered in the reader's language (the test runs in English).
        return [n.title for n in Notification.objects.filter(recipient=supervisor, read_at__isnull=True)]

    assert (home_count(), unread()) == (0, [])
    finish_move_in(move_in, desk)
    assert unread() == [f"Move-in ready to confirm: {move_in.tenant.name}"]
    assert home_count() == 1
    listed = boss.get(reverse("desk:tenants:movein_list"), {"status": "open", "ready": "true"}).context["object_list"]
    assert [m.pk for m in listed] == [move_in.pk]
    services.movein_skip_signboard(move_in=move_in, by=desk)  # another write: no second notice
    assert len(unread()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.movein_confirm(obj=move_in, by=supervisor)
    assert (home_count(), unread()) == (0, [])


def test_an_unfinished_move_in_is_not_counted_as_ready(client_for, supervisor, move_in, desk):
    from tenants import services
    from tenants.models import MoveIn

    services.movein_skip_signboard(move_in=move_in, by=desk)
    assert MoveIn.objects.get(pk=move_in.pk).ready_at is None
