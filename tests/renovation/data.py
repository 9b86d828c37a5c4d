"""Renovation test data usable from any test (the access matrix and the browser tests too):
an application's fields and files, and a renovation moved to a state through the services."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from billing.services import payment_record
from renovation import services
from renovation.models import Renovation
from tests.factories import MINIMAL_PDF

FILE_KINDS = ("licence", "drawing_plan", "drawing_electrical", "drawing_fire", "undertaking", "agreement")


def pdf(name: str = "图纸.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def files(**over) -> dict:
    return {**{kind: pdf(f"{kind}.pdf") for kind in FILE_KINDS}, **over}


def fields(**over) -> dict:
    today = timezone.localdate()
    return {
        "contact_name": "王建国",
        "contact_phone": "13877110001",
        "contractor_name": "南宁精工装饰工程有限公司",
        "contractor_person": "赵师傅",
        "contractor_phone": "13977130003",
        "planned_start": today + timedelta(days=3),
        "planned_end": today + timedelta(days=40),
        "work_items": ["轻钢龙骨隔墙", "吊顶", "照明线路"],
        "electrical_load_kw": Decimal("20.0"),
        "fire_safety_person": "王建国",
        "fire_safety_phone": "13877110001",
        "intended_use": "office",
        **over,
    }


def renovation_in_state(state, *, tenant, unit, tenant_admin, engineer, guard, supervisor, desk, **over):
    """Tenant ``tenant``'s renovation of ``unit`` moved to ``state`` by the personas."""
    upload = over.pop("files", None) or files()
    r = services.renovation_apply(tenant=tenant, unit=unit, by=tenant_admin, files=upload, **fields(**over))
    if state == "applied":
        return r
    if state == "returned":
        return services.renovation_return_engineering(obj=r, by=engineer, note="电气图缺配电箱位置")
    services.renovation_pass_engineering(obj=r, by=engineer, note="图纸符合要求")
    if state == "engineering_passed":
        return r
    services.renovation_pass_security(obj=r, by=guard, note="消防通道不受影响")
    if state == "reviewed":
        return r
    if state == "rejected":
        return services.renovation_reject(obj=r, by=supervisor, note="与大楼外立面规定冲突")
    services.renovation_approve(obj=r, by=supervisor)
    if state == "approved":
        return r
    r.refresh_from_db()
    if r.fees_bill:
        payment_record(tenant=r.tenant, amount=r.fees_bill.total, method="cash", by=desk, bills=[r.fees_bill])
    r = Renovation.objects.get(pk=r.pk)
    if r.granted_start > timezone.localdate():
        raise AssertionError("in_works needs a granted start of today: pass planned_start=today")
    return services.renovation_start_works(obj=r, by=desk)


def order_for(renovation, inspector):
    """A violation found by ``inspector`` (engineering) on ``renovation`` under works: its order."""
    inspection = services.renovation_inspect(
        renovation=renovation,
        by=inspector,
        department="engineering",
        inspected_at=timezone.now() - timedelta(hours=1),
        findings="配电箱未加盖，电线裸露",
        violation=True,
        requirement="配电箱加盖，线路穿管",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    return inspection.order


def deduction_for(renovation, engineer):
    """A deduction proposed by engineering on ``renovation`` under works."""
    return services.deduction_propose(
        renovation=renovation, by=engineer, department="engineering", items=[("私改线路", Decimal("1000"))]
    )
