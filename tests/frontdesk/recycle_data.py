"""Recyclables and material distribution for tests: recyclers, prices in force, and requests of
a company moved to any state through the services by the personas."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from frontdesk import distribution, recyclables
from frontdesk.models import MaterialDistribution, RecyclePrice, Recycler, RecycleRequest
from permits.models import id_number_check_char
from tests import factories

PRICES = {"paper": "1.20", "metal": "3.50", "plastic": "1.00", "electronics": "5.00"}


def carrier_id(seq: int = 7) -> str:
    first17 = f"450103198805050{seq % 100:02d}"
    return first17 + id_number_check_char(first17)


def make_recycler(name: str = "南宁绿源再生资源回收有限公司", **over) -> Recycler:
    fields = {"licence_number": "桂再生备450100-018", "contact_name": "覃师傅", "contact_phone": "13877100088"}
    return Recycler.objects.create(name=name, **{**fields, **over})


def set_prices(day=None, **over) -> None:
    day = day or timezone.localdate() - timedelta(days=30)
    for category, price in {**PRICES, **over}.items():
        RecyclePrice.objects.update_or_create(
            category=category, effective_from=day, defaults={"price_per_kg": Decimal(price)}
        )


def request_fields(unit, **over) -> dict:
    return {
        "unit": unit,
        "categories": ["paper", "metal"],
        "estimated_kg": Decimal("80"),
        "preferred_time": timezone.now() + timedelta(days=1),
        "settlement": "credit",
        "note": "旧纸箱和铁柜",
        **over,
    }


def weighed(paper="52.35", metal="18.40", **prices) -> list[recyclables.Weighed]:
    rows = []
    for category, weight in (("paper", paper), ("metal", metal)):
        if weight is not None:
            price, reason = prices.get(category, (None, ""))
            rows.append(recyclables.Weighed(category, weight, price, reason))
    return rows


def make_request(state: str, *, tenant, applicant, desk, unit=None, **over) -> RecycleRequest:
    """The company's request in ``state`` (requested, scheduled, collected, settled, cancelled)."""
    unit = unit or tenant.occupancies.first().unit
    settlement = over.pop("settlement", "credit")
    obj = recyclables.recycle_request(
        tenant=tenant, by=applicant, **request_fields(unit, settlement=settlement, **over)
    )
    if state == "requested":
        return obj
    if state == "cancelled":
        return recyclables.recycle_cancel(obj=obj, by=desk, note="业户改期")
    recycler = Recycler.objects.filter(is_active=True).first() or make_recycler()
    recyclables.recycle_schedule(obj=obj, by=desk, recycler=recycler, pickup_at=timezone.now() + timedelta(hours=3))
    if state == "scheduled":
        return obj
    if not RecyclePrice.objects.exists():
        set_prices()
    recyclables.recycle_collect(
        obj=obj,
        by=desk,
        weighed=weighed(),
        vehicle_plate="桂A6P521",
        carrier_name="覃师傅",
        carrier_id_number=carrier_id(),
    )
    if state == "collected":
        return obj
    received_by = "王建国" if settlement == "cash" else ""
    return recyclables.recycle_settle(obj=obj, by=desk, received_by=received_by)


def material(name: str = "宣传单.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, factories.tiny_image())


def distribution_fields(**over) -> dict:
    return {
        "title": "端午节安全提示",
        "quantity": 120,
        "targets": "all",
        "charge": "per_copy",
        "preferred_date": timezone.localdate() + timedelta(days=2),
        "note": "",
        **over,
    }


def make_distribution(state: str, *, tenant, applicant, desk, supervisor, **over) -> MaterialDistribution:
    """The company's request in ``state`` (submitted, approved, completed, rejected, cancelled)."""
    obj = distribution.distribution_request(
        tenant=tenant, by=applicant, material=material(), **distribution_fields(**over)
    )
    if state == "submitted":
        return obj
    if state == "rejected":
        return distribution.distribution_reject(obj=obj, by=supervisor, note="含广告内容，不予代派")
    if state == "cancelled":
        return distribution.distribution_withdraw(obj=obj, by=applicant)
    distribution.distribution_approve(obj=obj, by=supervisor)
    if state == "approved":
        return obj
    return distribution.distribution_complete(obj=obj, by=desk, count=obj.quantity - 20, distributed_by="前台 韦小玲")


def _recycle(state: str, **over):
    def make(r):
        if not RecyclePrice.objects.exists():
            set_prices()
        if not Recycler.objects.exists():
            make_recycler()
        return make_request(
            state, tenant=r.fixture("tenant_a"), applicant=r.fixture("tenant_a_admin"), desk=r.fixture("desk"), **over
        )

    return make


def _distribution(state: str):
    def make(r):
        return make_distribution(
            state,
            tenant=r.fixture("tenant_a"),
            applicant=r.fixture("tenant_a_admin"),
            desk=r.fixture("desk"),
            supervisor=r.fixture("supervisor"),
        )

    return make


# The access matrix's records (tests/test_access_matrix.py MAKERS, the accessibility walk).
ACCESS_MAKERS = {
    "recycle_request": _recycle("requested"),
    "recycle_cash": _recycle("settled", settlement="cash"),
    "distribution": _distribution("submitted"),
    "distribution_done": _distribution("completed"),
}
