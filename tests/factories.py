"""Factories for the test suite (factory_boy) and a helper that walks a premises certificate
through the real services into any state.

Shared with the e2e and celery suites: keep names and defaults stable.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from jinyuan.accounts.models import User
from jinyuan.workflow.services import transition
from permits import services as permit_services
from permits.models import PremisesCertificate
from tenants.models import Building, Contact, Floor, Membership, Occupancy, Tenant, Unit
from tenants.validators import credit_code_check_char

PASSWORD = "Jinyuan-test-2026!"


def credit_code(n: int) -> str:
    """A valid unified social credit code, unique per ``n`` (region 450100 = Nanning)."""
    first17 = f"91450100{n:09d}"
    return first17 + credit_code_check_char(first17)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.Sequence(lambda n: f"金源CBD现代城{n}号楼")
    address = "南宁市青秀区民族大道"


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: n % 30000 + 1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    floor = factory.SubFactory(FloorFactory)
    number = factory.Sequence(lambda n: f"U{n:04d}")
    area = Decimal("120.50")
    use = Unit.Use.OFFICE


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"南宁测试{n}科技有限公司")
    credit_code = factory.Sequence(credit_code)
    legal_representative = "张三"
    industry = "信息技术"
    phone = "0771-5550000"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "行政"
    phone = factory.Sequence(lambda n: f"1387711{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"contact{n}@tenant.example")
    is_primary = False


class OccupancyFactory(factory.django.DjangoModelFactory):
    """An open-ended occupancy that started a year ago."""

    class Meta:
        model = Occupancy

    tenant = factory.SubFactory(TenantFactory)
    unit = factory.SubFactory(UnitFactory)
    start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    end = None


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``roles=["front_desk", ...]`` puts them into the staff groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@jinyuan.example")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test (flush) may have removed the migration's groups.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = Membership.Role.ADMIN


def occupied_unit(tenant: Tenant | None = None, **unit_fields) -> tuple[Tenant, Unit]:
    """A tenant (new unless given) occupying a new unit since a year ago, open-ended."""
    tenant = tenant or TenantFactory()
    unit = UnitFactory(**unit_fields)
    OccupancyFactory(tenant=tenant, unit=unit)
    return tenant, unit


# How to reach each state from "submitted": (service, actor key, note).
_PATHS = {
    "submitted": [],
    "checked": [("pass_check", "desk", "")],
    "returned": [("send_back", "desk", "请补充营业执照复印件")],
    "withdrawn": [("withdraw", "applicant", "")],
    "issued": [("pass_check", "desk", ""), ("approve", "supervisor", "")],
    "rejected": [("pass_check", "desk", ""), ("reject", "supervisor", "租期已到")],
    "revoked": [("pass_check", "desk", ""), ("approve", "supervisor", ""), ("revoke", "supervisor", "租户已迁出")],
}


def make_certificate(
    state: str = "submitted",
    *,
    tenant: Tenant | None = None,
    unit: Unit | None = None,
    applicant: User | None = None,
    desk: User | None = None,
    supervisor: User | None = None,
    purpose: str = PremisesCertificate.Purpose.BUSINESS_REGISTRATION,
    purpose_detail: str = "",
    copies: int = 1,
) -> PremisesCertificate:
    """A premises certificate brought into ``state`` through the services, as people would.

    Missing pieces are made: a tenant occupying a unit, its portal admin as applicant, a desk
    clerk and a supervisor.
    """
    if state not in _PATHS:
        raise ValueError(f"unknown state {state!r}; one of {sorted(_PATHS)}")
    if unit is None:
        tenant, unit = occupied_unit(tenant)
    tenant = tenant or Occupancy.objects.filter(unit=unit).latest("start").tenant
    if applicant is None:
        member = tenant.members.filter(role=Membership.Role.ADMIN).select_related("user").first()
        applicant = member.user if member else MembershipFactory(tenant=tenant).user
    actors = {
        "applicant": applicant,
        "desk": desk or UserFactory(roles=["front_desk"]),
        "supervisor": supervisor or UserFactory(roles=["supervisor"], is_staff=True),
    }
    cert = permit_services.certificate_request(
        tenant=tenant, unit=unit, purpose=purpose, purpose_detail=purpose_detail, copies=copies, by=applicant
    )
    for action, actor, note in _PATHS[state]:
        # Transitions without side effects have no service: they run as declared.
        service = getattr(permit_services, f"certificate_{action}", None)
        if service is None:
            transition(cert, action, by=actors[actor], note=note)
        else:
            service(obj=cert, by=actors[actor], note=note)
    cert.refresh_from_db()
    assert cert.status == state, (cert.status, state)
    return cert


# --- move-in/out, signboards, archive, billing: one record each, through the services ---------


def make_movein(tenant: Tenant, by: User, unit: Unit | None = None):
    """An open move-in of ``tenant`` into a vacant unit (made unless given), starting in ten days."""
    from tenants import services as tenant_services

    unit = unit or UnitFactory()
    return tenant_services.movein_open(
        tenant=tenant, units=[unit], start_date=timezone.localdate() + timedelta(days=10), by=by
    )


def make_moveout(tenant: Tenant, by: User):
    """An open move-out of every unit ``tenant`` occupies, planned in thirty days."""
    from tenants import services as tenant_services

    return tenant_services.moveout_open(tenant=tenant, planned_date=timezone.localdate() + timedelta(days=30), by=by)


def make_signboard(tenant: Tenant, by: User, building: Building | None = None):
    from tenants import services as tenant_services

    building = building or Occupancy.objects.filter(tenant=tenant).latest("start").unit.floor.building
    return tenant_services.signboard_order(tenant=tenant, building=building, text=tenant.name, by=by)


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_archive_file(tenant: Tenant, by: User, kind: str = "licence"):
    """A (tiny) business licence PDF in the tenant's archive: an attachment of the tenant."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenants import services as tenant_services

    upload = SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF, content_type="application/pdf")
    return tenant_services.archive_upload(tenant=tenant, kind=kind, upload=upload, by=by)


def paid_service_item():
    """The price list's paid-service item (made again if a transactional test flushed the table)."""
    from billing.models import FeeItem

    item, _ = FeeItem.objects.get_or_create(
        code="paid_service", defaults={"name": "有偿服务费", "kind": FeeItem.Kind.ONE_OFF, "price": Decimal("0.00")}
    )
    return item


def make_bill(tenant: Tenant, by: User, amount: str = "120.00"):
    from billing import services as billing_services

    item = paid_service_item()
    line = billing_services.LineSpec(item, "空调维修", Decimal(1), Decimal(amount))
    return billing_services.bill_create(tenant=tenant, title="有偿服务", lines=[line], by=by)


def make_payment(tenant: Tenant, by: User, amount: str = "120.00"):
    from billing import services as billing_services

    return billing_services.payment_record(tenant=tenant, amount=Decimal(amount), method="wechat", by=by)


def make_deposit(tenant: Tenant, by: User, amount: str = "5000.00"):
    """A move-in deposit billed and paid: one entry in the deposit ledger."""
    from billing import services as billing_services
    from billing.models import DepositEntry, FeeItem

    item, _ = FeeItem.objects.get_or_create(
        code="move_in_deposit", defaults={"name": "入驻保证金", "kind": FeeItem.Kind.DEPOSIT, "price": Decimal(amount)}
    )
    line = billing_services.LineSpec(item, item.name, Decimal(1), Decimal(amount))
    bill = billing_services.bill_create(tenant=tenant, title="入驻保证金", lines=[line], by=by)
    billing_services.payment_record(tenant=tenant, amount=Decimal(amount), method="bank", by=by, bills=[bill])
    return DepositEntry.objects.get(bill_line__bill=bill)


def tiny_image(fmt: str = "JPEG") -> bytes:
    """A real (Pillow-made) 64 × 48 JPEG or PNG: attachments decode photos."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format=fmt)
    return out.getvalue()


def make_attachment(record, by: User, kind: str = "inspection"):
    """A photo attached to ``record`` (with its thumbnail)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jinyuan.attachments.services import attachment_add

    return attachment_add(record=record, upload=SimpleUploadedFile("现场.jpg", tiny_image()), by=by, kind=kind)


def make_followup(record, by: User, days: int = 0):
    """A follow-up visit of ``record`` due ``days`` from today."""
    from jinyuan.followups.services import followup_schedule

    return followup_schedule(record=record, due=timezone.localdate() + timedelta(days=days), by=by)


# --- access passes 大厦出入证 -------------------------------------------------------------------

_card_numbers = iter(range(100001, 10**9))


def make_access_pass(tenant: Tenant, by: User, state: str = "requested", desk: User | None = None, **over):
    """An access pass of ``tenant`` brought into ``state`` through the services: requested by
    ``by`` (a portal member or the desk), then handled by ``desk`` (made unless given)."""
    from permits import access_passes as services
    from permits.models import AccessPass

    desk = desk or UserFactory(roles=["front_desk"])
    fields = {
        "holder_name": "张伟",
        "department": "财务部",
        "mobile": "13877110001",
        "floors": list(services.tenant_floors(tenant)),
        **over,
    }
    obj = services.access_pass_request(tenant=tenant, by=by, **fields)
    steps = (
        {
            "approved": ["approve"],
            "refused": ["refuse"],
            "cancelled": ["withdraw"],
            "issued": ["approve", "issue"],
            "lost": ["approve", "issue", "report_lost"],
            "returned": ["approve", "issue", "give_back"],
            "expired": ["approve", "issue", "expire"],
        }[state]
        if state != "requested"
        else []
    )
    for step in steps:
        if step == "issue":
            services.access_pass_issue(
                obj=obj, by=desk, card_number=f"C{next(_card_numbers)}", charge=AccessPass.Charge.DEPOSIT
            )
        elif step == "give_back":
            services.access_pass_return(obj=obj, by=desk)
        elif step == "expire":
            AccessPass.objects.filter(pk=obj.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
            services.expire_due()
        else:
            getattr(services, f"access_pass_{step}")(obj=obj, by=desk, note="测试")
    obj.refresh_from_db()
    assert obj.status == state, (obj.status, state)
    return obj
