"""A company asks for a pickup of its recyclables on a phone; the desk schedules it, weighs it
(the release note is issued) and credits the company's account by a credit note, which the
company then sees; every page passes axe. The desk and the supervisor then walk a material
distribution: the company's upload, the supervisor's approval, the count distributed, billed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from frontdesk.models import MaterialDistribution, RecycleRequest
from tests.frontdesk.recycle_data import carrier_id, make_distribution, make_recycler, set_prices

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, supervisor, tenant_a_admin):
    for user in (desk, supervisor, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    set_prices()
    make_recycler()
    return desk, supervisor, tenant_a_admin


def test_a_pickup_from_the_request_to_the_credit_note(new_page, people, tenant_a, unit_a):
    desk, _supervisor, tenant_admin = people
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/frontdesk/recyclables/new/")
    phone.check("input[name=categories][value=paper]")
    phone.fill("input[name=estimated_kg]", "-3")  # a negative weight: an error beside the field
    phone.fill("input[name=preferred_time]", "2099-03-02T10:00")
    phone.fill("textarea[name=note]", "旧纸箱约五十公斤")
    submit(phone, "main button[type=submit]")
    assert phone.locator("#id_estimated_kg.is-invalid").count() == 1
    assert phone.locator("textarea[name=note]").input_value() == "旧纸箱约五十公斤"
    phone.fill("input[name=estimated_kg]", "50")
    submit(phone, "main button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/frontdesk/recyclables/\d+/$"))
    obj = RecycleRequest.objects.get()

    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/frontdesk/recyclables/{obj.pk}/")
    clerk.select_option("select[name=recycler]", index=1)
    later = timezone.localtime() + timedelta(hours=2)
    clerk.fill("input[name=pickup_at]", later.strftime("%Y-%m-%dT%H:%M"))
    submit(clerk, "form[action$='/schedule/'] button[type=submit]")
    clerk.fill("input[name=weight_paper]", "48.60")
    clerk.fill("input[name=vehicle_plate]", "桂A6P521")
    clerk.fill("input[name=carrier_name]", "覃师傅")
    clerk.fill("input[name=carrier_id_number]", carrier_id())
    submit(clerk, "form[action$='/collect/'] button[type=submit]")
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.COLLECTED
    assert obj.release_note.document.number in clerk.locator("main").inner_text()
    submit(clerk, "form[action$='/settle/'] button[type=submit]")
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.SETTLED
    assert str(obj.credit_note.amount) == "58.32"  # 48.60 kg × 1.20

    phone.goto(f"/portal/frontdesk/recyclables/{obj.pk}/")
    assert obj.credit_note.number in phone.locator("main").inner_text()


def test_a_material_distribution_approved_and_completed(new_page, people, tenant_a):
    desk, supervisor, tenant_admin = people
    obj = make_distribution("submitted", tenant=tenant_a, applicant=tenant_admin, desk=desk, supervisor=supervisor)
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto(f"/desk/frontdesk/distribution/{obj.pk}/")
    submit(boss, "button[value=approve]")
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/frontdesk/distribution/{obj.pk}/")
    clerk.fill("input[name=count]", "999")  # above the quantity: an error beside the field
    clerk.fill("input[name=distributed_by]", "韦小玲")
    submit(clerk, "form[action$='/complete/'] button[type=submit]")
    assert clerk.locator("#id_count.is-invalid").count() == 1
    clerk.fill("input[name=count]", "110")
    submit(clerk, "form[action$='/complete/'] button[type=submit]")
    obj.refresh_from_db()
    assert obj.status == MaterialDistribution.Status.COMPLETED
    assert str(obj.bill.total) == "55.00"
    clerk.goto("/desk/frontdesk/distribution/")
    clerk.goto("/desk/frontdesk/recyclables/")
