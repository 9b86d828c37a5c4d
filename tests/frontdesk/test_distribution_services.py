"""Material distribution 代派资料: the supervisor approves the content (the desk cannot), the
count distributed is at most the quantity, the fee is billed at completion with a line pointing
back at the request."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Bill
from frontdesk import distribution
from frontdesk.models import MaterialDistribution
from jinyuan.attachments.models import Attachment
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests import factories
from tests.frontdesk.recycle_data import distribution_fields, make_distribution, material

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a, tenant_a_admin, desk, supervisor):
    return {"tenant": tenant_a, "applicant": tenant_a_admin, "desk": desk, "supervisor": supervisor}


def test_a_request_keeps_its_material_and_price(people):
    obj = make_distribution("submitted", **people)
    assert obj.number.startswith(f"DP-{timezone.localdate().year}-")
    assert obj.unit_price == Decimal("0.50")
    assert Attachment.objects.filter(object_id=obj.pk, kind="material").count() == 1
    assert AuditEvent.objects.filter(object_id=obj.pk, action="distribution.requested").exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": " "}, "title"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({"preferred_date": timezone.localdate() - timedelta(days=1)}, "preferred_date"),
        ({"targets": "floors"}, "building"),
        ({"targets": "tenants"}, "target_tenants"),
    ],
)
def test_an_empty_or_bad_request_is_a_field_error(people, over, field):
    with pytest.raises(ValidationError) as exc:
        distribution.distribution_request(
            tenant=people["tenant"], by=people["applicant"], material=material(), **distribution_fields(**over)
        )
    assert field in exc.value.message_dict
    assert not MaterialDistribution.objects.exists()


def test_a_request_without_material_or_with_a_bad_file_is_refused(people):
    with pytest.raises(ValidationError) as exc:
        distribution.distribution_request(tenant=people["tenant"], by=people["applicant"], **distribution_fields())
    assert "material" in exc.value.message_dict
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as exc:
        distribution.distribution_request(
            tenant=people["tenant"],
            by=people["applicant"],
            material=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"),
            **distribution_fields(),
        )
    assert "material" in exc.value.message_dict
    assert not MaterialDistribution.objects.exists()


def test_floors_targets(people, building, unit_a):
    obj = make_distribution("submitted", targets="floors", building=building, floors=[unit_a.floor], **people)
    assert list(obj.floors.all()) == [unit_a.floor]
    other = factories.BuildingFactory(code="B", name="B座")
    with pytest.raises(ValidationError) as exc:
        make_distribution("submitted", targets="floors", building=other, floors=[unit_a.floor], **people)
    assert "floors" in exc.value.message_dict


def test_the_desk_cannot_approve_the_supervisor_can(people):
    obj = make_distribution("submitted", **people)
    with pytest.raises(PermissionDenied):
        distribution.distribution_approve(obj=obj, by=people["desk"])
    with pytest.raises(PermissionDenied):
        distribution.distribution_approve(obj=obj, by=people["applicant"])
    distribution.distribution_approve(obj=obj, by=people["supervisor"])
    assert obj.status == MaterialDistribution.Status.APPROVED


def test_rejection_needs_a_reason(people):
    obj = make_distribution("submitted", **people)
    with pytest.raises(ValidationError):
        distribution.distribution_reject(obj=obj, by=people["supervisor"], note="")
    distribution.distribution_reject(obj=obj, by=people["supervisor"], note="广告内容")
    assert obj.refusal_reason == "广告内容"
    with pytest.raises(TransitionRefused):
        distribution.distribution_complete(obj=obj, by=people["desk"], count=1, distributed_by="x")


def test_completion_bills_the_copies_distributed(people, tenant_a):
    obj = make_distribution("completed", **people)
    assert obj.distributed_count == 100
    bill = Bill.objects.get(pk=obj.bill_id)
    assert bill.source_key == f"distribution:{obj.pk}"
    assert bill.tenant_id == tenant_a.pk
    line = bill.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (Decimal(100), Decimal("0.50"), Decimal("50.00"))
    assert obj.number in line.description


def test_a_batch_is_billed_once_at_its_price(people):
    obj = make_distribution("completed", charge="per_batch", **people)
    line = Bill.objects.get(pk=obj.bill_id).lines.get()
    assert (line.quantity, line.amount) == (Decimal(1), Decimal("150.00"))


@pytest.mark.parametrize(("count", "field"), [(121, "count"), (0, "count"), (None, "count")])
def test_a_count_above_the_quantity_is_a_field_error(people, count, field):
    obj = make_distribution("approved", **people)
    with pytest.raises(ValidationError) as exc:
        distribution.distribution_complete(obj=obj, by=people["desk"], count=count, distributed_by="韦小玲")
    assert field in exc.value.message_dict
    obj.refresh_from_db()
    assert obj.status == MaterialDistribution.Status.APPROVED
    assert not Bill.objects.exists()


def test_who_distributed_is_required(people):
    obj = make_distribution("approved", **people)
    with pytest.raises(ValidationError) as exc:
        distribution.distribution_complete(obj=obj, by=people["desk"], count=5, distributed_by="")
    assert "distributed_by" in exc.value.message_dict


def test_completion_happens_once(people):
    obj = make_distribution("completed", **people)
    stale = MaterialDistribution.objects.get(pk=obj.pk)
    stale.status = MaterialDistribution.Status.APPROVED
    with pytest.raises(TransitionRefused):
        distribution.distribution_complete(obj=stale, by=people["desk"], count=5, distributed_by="x")
    assert Bill.objects.count() == 1


def test_the_company_withdraws_another_cannot(people, tenant_b_admin):
    obj = make_distribution("submitted", **people)
    with pytest.raises(PermissionDenied):
        distribution.distribution_withdraw(obj=obj, by=tenant_b_admin)
    distribution.distribution_withdraw(obj=obj, by=people["applicant"])
    assert obj.status == MaterialDistribution.Status.CANCELLED
