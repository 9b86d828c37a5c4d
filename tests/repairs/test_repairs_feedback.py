"""The tenant's sign-off and ratings (portal, or on the desk's screen): satisfied closes, not
satisfied reopens to the engineer (counted, deadlines again); refused for the wrong people and
the second time; bad ratings are field errors and lose nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import TransitionRefused
from repairs import services
from repairs.models import RepairCategory, RepairRating, RepairTicket
from tests.repairs.feedback_helpers import completed, form_data, scores, water_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return water_category()


@pytest.fixture
def ticket(desk, engineer, tenant_a, water):
    return completed(desk, engineer, water, tenant=tenant_a)


def actions(ticket) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=ticket.pk, action__startswith="repair.").values_list("action", flat=True)
    )


def test_the_tenant_signs_off_satisfied_and_the_ticket_closes(ticket, tenant_a_admin, engineer):
    rating = services.sign_off(ticket, by=tenant_a_admin, **scores(comment="很快"))
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_at is not None
    assert (rating.overall, rating.speed, rating.service, rating.satisfied) == (5, 4, 5, True)
    assert rating.engineer == engineer and rating.category == ticket.category and rating.round == 0
    assert rating.channel == "portal" and rating.signed_by == tenant_a_admin
    event = AuditEvent.objects.get(object_id=ticket.pk, action="repair.signed_off")
    assert event.actor == tenant_a_admin and event.data["overall"] == 5 and event.note == "很快"


def test_a_staff_member_of_the_company_signs_off_with_the_repairs_grant(ticket, tenant_a_staff):
    with pytest.raises(PermissionDenied):
        services.sign_off(ticket, by=tenant_a_staff, **scores())
    membership = tenant_a_staff.membership
    membership.areas = [*(membership.areas or ()), "repairs"]
    membership.save(update_fields=["areas"])
    services.sign_off(ticket, by=tenant_a_staff, **scores())
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_the_desk_signs_off_on_the_tenants_behalf_on_its_screen(ticket, desk, client_for):
    url = reverse("desk:repairs:sign_off", args=[ticket.pk])
    page = client_for(desk).get(url)
    assert page.status_code == 200 and ticket.number in page.content.decode()
    response = client_for(desk).post(url, form_data(comment="满意"))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert RepairRating.objects.get(ticket=ticket).channel == "desk"


def test_the_tenant_signs_off_in_the_portal(ticket, tenant_a_admin, client_for):
    url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    assert client_for(tenant_a_admin).get(url).status_code == 200
    response = client_for(tenant_a_admin).post(url, form_data())
    assert response.status_code == 302
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_other_tenant_gets_404_and_changes_nothing(ticket, tenant_b_admin, client_for):
    url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    assert client_for(tenant_b_admin).get(url).status_code == 404
    assert client_for(tenant_b_admin).post(url, form_data()).status_code == 404
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"
    assert not RepairRating.objects.exists()
    with pytest.raises(PermissionDenied):
        services.sign_off(ticket, by=tenant_b_admin, **scores())


def test_the_engineer_cannot_sign_off_their_own_work(ticket, engineer, client_for):
    with pytest.raises(PermissionDenied):
        services.sign_off(ticket, by=engineer, **scores())
    url = reverse("desk:repairs:sign_off", args=[ticket.pk])
    assert client_for(engineer).post(url, form_data()).status_code == 403
    assert client_for(engineer).get(reverse("portal:repairs:sign_off", args=[ticket.pk])).status_code == 403
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"
    assert not RepairRating.objects.exists()


def test_a_second_sign_off_of_the_same_completion_changes_nothing(ticket, tenant_a_admin, desk, client_for):
    stale = RepairTicket.objects.get(pk=ticket.pk)  # read before the first sign-off, as a second tab
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    before = actions(ticket)
    with pytest.raises(TransitionRefused):
        services.sign_off(stale, by=desk, **scores(satisfied=False, comment="again"))
    response = client_for(desk).post(reverse("desk:repairs:sign_off", args=[ticket.pk]), form_data(overall="1"))
    assert response.status_code == 302
    assert RepairRating.objects.filter(ticket=ticket).count() == 1
    assert RepairRating.objects.get(ticket=ticket).overall == 5
    assert actions(ticket) == before
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_signing_off_an_unfinished_repair_is_refused(desk, tenant_a_admin, tenant_a, water):
    ticket = services.report(by=desk, category=water, tenant=tenant_a, reporter_name="王", phone="1", description="x")
    with pytest.raises(TransitionRefused):
        services.sign_off(ticket, by=tenant_a_admin, **scores())
    assert not RepairRating.objects.exists()


def test_not_satisfied_reopens_to_the_same_engineer_and_counts(ticket, tenant_a_admin, engineer):
    old = Deadline.objects.get(object_id=ticket.pk, kind="completion")
    services.sign_off(ticket, by=tenant_a_admin, **scores(satisfied=False, overall=2, comment="还在漏水"))
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.assignee == engineer
    assert ticket.reopen_count == 1 and ticket.completed_at is None and ticket.closed_at is None
    event = AuditEvent.objects.get(object_id=ticket.pk, action="repair.reopened")
    assert event.note == "还在漏水" and event.from_state == "completed" and event.to_state == "dispatched"
    # The completion deadline starts again from now.
    running = Deadline.objects.get(object_id=ticket.pk, kind="completion", state="running")
    assert running.pk != old.pk and running.started_at > old.started_at
    assert RepairRating.objects.get(ticket=ticket).satisfied is False
    # The engineer comes back, completes, and the tenant signs off the second round.
    services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    services.complete(ticket, by=engineer)
    services.sign_off(ticket, by=tenant_a_admin, **scores())
    assert list(RepairRating.objects.filter(ticket=ticket).order_by("round").values_list("round", "satisfied")) == [
        (0, False),
        (1, True),
    ]
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.reopen_count == 1


def test_a_ticket_without_engineer_reopens_to_the_desk_or_the_pool(ticket, tenant_a_admin):
    RepairTicket.objects.filter(pk=ticket.pk).update(assignee=None)
    ticket.refresh_from_db()
    services.sign_off(ticket, by=tenant_a_admin, **scores(satisfied=False, comment="没修好"))
    assert RepairTicket.objects.get(pk=ticket.pk).status == "reported"


def test_a_pool_ticket_without_engineer_reopens_to_the_pool(desk, engineer, tenant_a, tenant_a_admin):
    category = RepairCategory.objects.create(name="空调", dispatch=RepairCategory.Dispatch.POOL)
    ticket = completed(desk, engineer, category, tenant=tenant_a)
    RepairTicket.objects.filter(pk=ticket.pk).update(assignee=None)
    ticket.refresh_from_db()
    services.reopen(ticket, by=desk, reason="不制冷")
    assert RepairTicket.objects.get(pk=ticket.pk).status == "pooled"


def test_not_satisfied_needs_a_comment(ticket, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.sign_off(ticket, by=tenant_a_admin, **scores(satisfied=False, comment="  "))
    assert "comment" in exc.value.message_dict
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"


@pytest.mark.parametrize("bad", [0, 6, -1, None, "5", True])
def test_a_rating_out_of_range_is_refused_by_the_service(ticket, tenant_a_admin, bad):
    with pytest.raises(ValidationError) as exc:
        services.sign_off(ticket, by=tenant_a_admin, **scores(speed=bad))
    assert set(exc.value.message_dict) == {"speed"}
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"
    assert not RepairRating.objects.exists()


def test_a_rating_out_of_range_is_a_field_error_and_nothing_is_lost(ticket, tenant_a_admin, client_for):
    url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    response = client_for(tenant_a_admin).post(url, form_data(overall="7", service=None, comment="师傅很专业"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"overall", "service"}
    assert "师傅很专业" in response.content.decode()  # what was typed is still there
    assert form["speed"].value() == "4"
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"
    assert not RepairRating.objects.exists()


def test_the_form_asks_for_a_comment_when_not_satisfied(ticket, tenant_a_admin, client_for):
    url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    response = client_for(tenant_a_admin).post(url, form_data(satisfied="no"))
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"


def test_the_portal_reopens_when_not_satisfied(ticket, tenant_a_admin, client_for):
    url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    response = client_for(tenant_a_admin).post(url, form_data(satisfied="no", comment="还在漏"))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.reopen_count == 1


def test_the_desk_may_close_without_ratings_but_only_the_system_auto_closes(ticket, desk):
    from jinyuan.workflow.services import transition

    with pytest.raises(PermissionDenied):
        transition(ticket, "auto_close", by=desk)
    services.close(ticket, by=desk)
    assert RepairTicket.objects.get(pk=ticket.pk).status == "closed"


def test_ratings_average_per_engineer_and_category(ticket, desk, engineer, tenant_a, tenant_a_admin, water):
    from repairs.selectors import rating_averages

    services.sign_off(ticket, by=tenant_a_admin, **scores(overall=4, speed=2, service=5))
    other = completed(desk, engineer, water, tenant=tenant_a)
    services.sign_off(other, by=tenant_a_admin, **scores(overall=2, speed=4, service=3, satisfied=False, comment="慢"))
    (row,) = rating_averages("engineer")
    assert row["engineer_id"] == engineer.pk and row["ratings"] == 2 and row["satisfied"] == 1
    assert (row["overall"], row["speed"], row["service"]) == (3, 3, 4)
    (by_category,) = rating_averages("category")
    assert by_category["category__name"] == water.name and by_category["ratings"] == 2
