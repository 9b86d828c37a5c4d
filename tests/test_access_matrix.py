"""Who may open what: every desk and portal page by persona, unknown ids, refused POSTs, admin.

Table-driven. A new page gets a row in PAGES (``test_every_desk_and_portal_url_has_a_row`` fails
until it does); a new refused action gets a row in REFUSED_POSTS.
"""

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents.models import Document, GateCheck
from jinyuan.workflow.models import AuditEvent
from permits.models import PremisesCertificate
from tests import factories
from tests.matrix import (
    ANY_USER,
    DESK_PAGE,
    DESK_ROLES_PAGE,
    MISSING,
    OK,
    PORTAL_ADMIN_PAGE,
    PORTAL_PAGE,
    TENANT_A_RECORD,
    LazyRecords,
    Page,
    Post,
    all_pages,
    assert_page_by_persona,
    assert_refused,
    by_persona,
    client_as,
    desk_page,
    named_urls,
)

pytestmark = pytest.mark.django_db

# Served after the record's app agrees (tenants: desk roles, the company's admins and the staff
# they opened the archive to); everyone else learns nothing, not even that the file exists. The
# customer archive's files are such attachments (tests/lifecycle/test_archive.py).
ATTACHMENT_OF_TENANT_A = {
    **desk_page("desk", "supervisor"),
    **dict.fromkeys(("engineer", "guard", "finance", "tenant_b_admin", "tenant_a_staff"), MISSING),
    "tenant_a_admin": OK,
}

LOGIN = reverse("accounts:login")

# The kernel's, the premises' and the certificates' pages. Move-in, move-out, signboards and the
# archive have their rows in tests/lifecycle/test_access.py, billing in tests/billing/test_access.py.
PAGES = [
    Page("desk:home", DESK_PAGE),
    # premises and tenants
    Page("desk:tenants:building_list", DESK_PAGE),
    Page("desk:tenants:building_detail", DESK_PAGE, "building"),
    Page("desk:tenants:unit_list", DESK_PAGE),
    Page("desk:tenants:tenant_list", DESK_PAGE),
    Page("desk:tenants:tenant_detail", DESK_PAGE, "tenant_a"),
    Page("desk:tenants:tenant_new", DESK_ROLES_PAGE),
    # premises certificates
    Page("desk:permits:certificate_list", DESK_PAGE),
    Page("desk:permits:certificate_detail", DESK_PAGE, "submitted"),
    Page("desk:permits:certificate_pdf", DESK_PAGE, "issued"),
    Page("portal:permits:certificate_list", PORTAL_PAGE),
    Page("portal:permits:certificate_new", PORTAL_ADMIN_PAGE),
    Page("portal:permits:certificate_detail", TENANT_A_RECORD, "submitted"),
    Page("portal:permits:certificate_pdf", TENANT_A_RECORD, "issued"),
    # the tenant admin's page of who may open bills, the archive ...
    Page("portal:tenants:grants", PORTAL_ADMIN_PAGE),
    Page("portal:permits:certificate_correct", {**PORTAL_ADMIN_PAGE, "tenant_b_admin": MISSING}, "returned"),
    # files attached to a tenant: the customer service desk and the company itself
    Page("attachments:file", ATTACHMENT_OF_TENANT_A, "photo"),
    Page("attachments:thumbnail", ATTACHMENT_OF_TENANT_A, "photo"),
    # the gate: security and supervisors
    Page("gate", desk_page("guard", "supervisor")),
    # both sides
    Page("notifications", ANY_USER),
    Page("accounts:password_change", ANY_USER),
    Page("accounts:notification_settings", ANY_USER),
]

# Pages that take an id: with an id that does not exist, one who may open the page gets 404.
UNKNOWN_IDS = [
    ("desk:tenants:building_detail", "desk"),
    ("desk:tenants:tenant_detail", "guard"),
    ("desk:tenants:archive_upload", "desk"),
    ("desk:tenants:movein_new", "desk"),
    ("desk:tenants:movein_detail", "engineer"),
    ("desk:tenants:moveout_new", "supervisor"),
    ("desk:tenants:moveout_detail", "guard"),
    ("desk:tenants:signboard_new", "desk"),
    ("desk:tenants:signboard_detail", "finance"),
    ("desk:billing:bill_detail", "finance"),
    ("desk:billing:late_fee_waive", "supervisor"),
    ("desk:billing:account", "finance"),
    ("desk:billing:statement", "finance"),
    ("desk:billing:statement_pdf", "desk"),
    ("desk:billing:bill_new", "desk"),
    ("desk:billing:payment_new", "finance"),
    ("desk:billing:payment_detail", "supervisor"),
    ("desk:billing:receipt_pdf", "finance"),
    ("desk:billing:movein_charges", "desk"),
    ("desk:billing:moveout_deposit", "supervisor"),
    ("desk:permits:certificate_detail", "supervisor"),
    ("desk:permits:certificate_pdf", "finance"),
    ("portal:tenants:movein_detail", "tenant_a_staff"),
    ("portal:tenants:moveout_detail", "tenant_a_admin"),
    ("portal:billing:bill_detail", "tenant_a_admin"),
    ("portal:billing:receipt_pdf", "tenant_a_admin"),
    ("portal:permits:certificate_detail", "tenant_a_admin"),
    ("portal:permits:certificate_pdf", "tenant_a_staff"),
]


def _vacant_unit(records):
    floor = factories.FloorFactory(building=records.fixture("building"), number=33)
    return factories.UnitFactory(floor=floor, number="3301")


# How each record is made on first use (through the services, by the desk persona).
def _renovation(r, state):
    """Tenant A's renovation of unit A in ``state`` (earlier ones withdrawn: one live per unit)."""
    from renovation.models import Renovation
    from tests.renovation.data import renovation_in_state

    Renovation.objects.update(status=Renovation.Status.WITHDRAWN)
    people = {name: r.fixture(name) for name in ("engineer", "guard", "supervisor", "desk")}
    over = {"planned_start": timezone.localdate()} if state == "in_works" else {}
    return renovation_in_state(
        state,
        tenant=r.fixture("tenant_a"),
        unit=r.fixture("unit_a"),
        tenant_admin=r.fixture("tenant_a_admin"),
        **people,
        **over,
    )


def _order(r):
    from tests.renovation.data import order_for

    return order_for(_renovation(r, "in_works"), r.fixture("engineer"))


def _deduction(r):
    from tests.renovation.data import deduction_for

    return deduction_for(_renovation(r, "in_works"), r.fixture("engineer"))


def _works(r):
    """A renovation in works with an inspection and its order, a deduction and an extension:
    a row of each works record for the admin pages."""
    from datetime import timedelta

    from renovation import extensions
    from tests.renovation.data import deduction_for, order_for

    renovation = _renovation(r, "in_works")
    order_for(renovation, r.fixture("engineer"))
    deduction_for(renovation, r.fixture("engineer"))
    extensions.extension_apply(
        renovation=renovation,
        by=r.fixture("tenant_a_admin"),
        new_end=renovation.granted_end + timedelta(days=30),
        reason="材料延迟",
    )
    return renovation


def _extension(r):
    """The pending extension of the works renovation (one pending per renovation)."""
    return r["renovation_works"].extensions.latest("id")


def _parking_permit(r):
    from permits import parking
    from permits.models import ParkingSpace
    from tests.permits.parking_fixtures import vehicle

    space = ParkingSpace.objects.create(number="B1-001", zone="B1")
    permit = parking.parking_apply(
        tenant=r.fixture("tenant_a"), by=r.fixture("tenant_a_admin"), **vehicle(1, space=space)
    )
    return parking.parking_approve(obj=permit, by=r.fixture("desk"))


def _worker_pass(r):
    from permits import passes
    from tests.permits.conftest import worker

    return passes.worker_pass_issue(renovation=r["renovation_in_works"], by=r.fixture("desk"), **worker())


MAKERS = {
    "building": lambda r: r.fixture("building"),
    "tenant_a": lambda r: r.fixture("tenant_a"),
    "submitted": lambda r: r.fixture("make_certificate")("submitted"),
    "checked": lambda r: r.fixture("make_certificate")("checked"),
    "issued": lambda r: r.fixture("make_certificate")("issued"),
    "returned": lambda r: r.fixture("make_certificate")("returned"),
    "movein": lambda r: factories.make_movein(r.fixture("tenant_a"), r.fixture("desk"), unit=_vacant_unit(r)),
    "moveout": lambda r: factories.make_moveout(r.fixture("tenant_a"), r.fixture("desk")),
    "signboard": lambda r: factories.make_signboard(r.fixture("tenant_a"), r.fixture("desk")),
    "archive": lambda r: factories.make_archive_file(r.fixture("tenant_a"), r.fixture("desk")),
    "bill": lambda r: factories.make_bill(r.fixture("tenant_a"), r.fixture("desk")),
    "payment": lambda r: factories.make_payment(r.fixture("tenant_a"), r.fixture("desk")),
    "photo": lambda r: factories.make_attachment(r.fixture("tenant_a"), r.fixture("desk")),
    "followup": lambda r: factories.make_followup(r.fixture("tenant_a"), r.fixture("desk")),
    "renovation_applied": lambda r: _renovation(r, "applied"),
    "renovation_returned": lambda r: _renovation(r, "returned"),
    "renovation_in_works": lambda r: _renovation(r, "in_works"),
    "rectification_order": lambda r: _order(r),
    "deduction": lambda r: _deduction(r),
    "worker_pass": _worker_pass,
    "renovation_works": _works,
    "extension": _extension,
    # 停车证: an issued permit on a fixed space (a row for the permit and space admins)
    "parking_permit": lambda r: _parking_permit(r),
    "parking_paper": lambda r: r["parking_permit"].document,
}


# --- access passes 大厦出入证 ---
def _access_pass(state: str):
    return lambda r: factories.make_access_pass(
        r.fixture("tenant_a"), r.fixture("tenant_a_admin"), state, desk=r.fixture("desk")
    )


MAKERS |= {f"access_pass_{state}": _access_pass(state) for state in ("requested", "approved", "issued", "lost")}


# --- 临时用电 temporary power (issue 10): an approved permit (a row for its admin) ---
def _power_permit(r):
    from permits import temporary_power
    from tests.permits.power_fixtures import power_fields

    permit = temporary_power.power_apply(
        tenant=r.fixture("tenant_a"), by=r.fixture("tenant_a_admin"), **power_fields(r.fixture("unit_a"))
    )
    return temporary_power.power_approve(obj=permit, by=r.fixture("engineer"))


def _power_returned(r):
    from permits import temporary_power
    from tests.permits.power_fixtures import power_fields

    permit = temporary_power.power_apply(
        tenant=r.fixture("tenant_a"), by=r.fixture("tenant_a_admin"), **power_fields(r.fixture("unit_a"))
    )
    return temporary_power.power_send_back(obj=permit, by=r.fixture("engineer"), note="负荷填写有误")


# "power_<state>": the record keys of tests/permits/test_access_power.py's pages.
MAKERS |= {"power_permit": _power_permit, "power_approved": _power_permit, "power_returned": _power_returned}


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize(("page", "who"), by_persona(PAGES))
def test_page_by_persona(records, persona, page, who):
    assert_page_by_persona(persona, records, page, who)


@pytest.mark.parametrize(("name", "who"), UNKNOWN_IDS)
def test_unknown_id_is_404(persona, records, name, who):
    assert client_as(persona, who).get(reverse(name, args=[987654])).status_code == 404


def test_every_desk_and_portal_url_has_a_row():
    """A new page without a row fails this test: add it to PAGES of its app's test_access.py."""
    assert named_urls() - {p.name for p in all_pages()} == set()


def test_a_page_has_one_row_across_the_apps():
    """Two apps' rows for one page would be two truths about it."""
    ids = [p.id for p in all_pages()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


# --- refused POSTs leave the record as it was --------------------------------------------------


REFUSED_POSTS = [
    pytest.param(Post("desk", "desk", "checked", {"action": "approve"}, 403), id="desk-approves"),
    pytest.param(Post("desk", "desk", "checked", {"action": "reject", "note": "x"}, 403), id="desk-rejects"),
    pytest.param(Post("desk", "desk", "issued", {"action": "revoke", "note": "x"}, 403), id="desk-revokes"),
    pytest.param(Post("guard", "desk", "submitted", {"action": "pass_check"}, 403), id="guard-checks"),
    pytest.param(Post("engineer", "desk", "submitted", {"action": "send_back", "note": "x"}, 403), id="eng-returns"),
    pytest.param(Post("finance", "desk", "checked", {"action": "approve"}, 403), id="finance-approves"),
    pytest.param(Post("desk", "desk", "submitted", {"action": "delete"}, 403), id="unknown-action"),
    pytest.param(Post("desk", "desk", "submitted", {}, 403), id="no-action"),
    pytest.param(Post("desk", "desk", "submitted", {"action": "withdraw"}, 403), id="portal-action-on-desk"),
    pytest.param(Post("tenant_a_admin", "desk", "submitted", {"action": "pass_check"}, 403), id="tenant-on-desk"),
    pytest.param(Post("tenant_a_admin", "portal", "checked", {"action": "approve"}, 403), id="tenant-approves"),
    pytest.param(Post("tenant_a_staff", "portal", "submitted", {"action": "withdraw"}, 403), id="staff-withdraws"),
    pytest.param(Post("tenant_b_admin", "portal", "submitted", {"action": "withdraw"}, 404), id="other-tenant"),
    pytest.param(Post("supervisor", "portal", "submitted", {"action": "withdraw"}, 403), id="staff-on-portal"),
    pytest.param(Post("anonymous", "desk", "submitted", {"action": "pass_check"}, 302), id="anon-desk"),
    pytest.param(Post("anonymous", "portal", "submitted", {"action": "withdraw"}, 302), id="anon-portal"),
    # Allowed role, wrong state: a notice and a redirect back, nothing changes.
    pytest.param(Post("supervisor", "desk", "issued", {"action": "approve"}, 302), id="approve-again"),
    pytest.param(Post("tenant_a_admin", "portal", "issued", {"action": "withdraw"}, 302), id="withdraw-issued"),
]


@pytest.mark.parametrize("post", REFUSED_POSTS)
def test_refused_post_leaves_the_record_unchanged(records, persona, post):
    cert = records[post.state]
    url = reverse(f"{post.side}:permits:certificate_detail", args=[cert.pk])
    events, documents = AuditEvent.objects.count(), Document.objects.count()
    response = client_as(persona, post.who).post(url, post.data)
    assert_refused(response, url, post.status, post.who)
    assert PremisesCertificate.objects.get(pk=cert.pk).status == post.state
    assert AuditEvent.objects.count() == events
    assert Document.objects.count() == documents


# The same for the other records: (who, URL name, record the URL takes, POST data, status).
REFUSED_OTHER_POSTS = [
    pytest.param("guard", "desk:tenants:movein_detail", "movein", {"step": "agreement"}, 403, id="guard-movein-step"),
    pytest.param(
        "desk", "desk:tenants:movein_detail", "movein", {"action": "cancel", "note": "x"}, 403, id="desk-cancels"
    ),
    pytest.param(
        "tenant_a_admin", "desk:tenants:movein_detail", "movein", {"action": "confirm"}, 403, id="tenant-confirms"
    ),
    pytest.param(
        "guard", "desk:tenants:signboard_detail", "signboard", {"action": "approve"}, 403, id="guard-signboard"
    ),
    pytest.param("engineer", "desk:tenants:moveout_detail", "moveout", {"action": "complete"}, 403, id="eng-moveout"),
    pytest.param("finance", "desk:billing:moveout_deposit", "moveout", {"refund": "0"}, 403, id="finance-refunds"),
    pytest.param(
        "engineer", "desk:billing:payment_new", "tenant_a", {"amount": "100", "method": "cash"}, 403, id="eng-pays"
    ),
    pytest.param("guard", "desk:billing:bill_new", "tenant_a", {"title": "x"}, 403, id="guard-bills"),
    pytest.param(
        "desk",
        "desk:billing:late_fee_waive",
        "late_fee_bill",
        {"amount": "1.00", "reason": "x"},
        403,
        id="desk-waives-late-fee",
    ),
    pytest.param("guard", "desk:tenants:archive_upload", "tenant_a", {"kind": "licence"}, 403, id="guard-uploads"),
    pytest.param(
        "tenant_a_staff", "portal:tenants:moveout_new", None, {"planned_date": "2099-01-01"}, 403, id="staff-moves-out"
    ),
    pytest.param("tenant_a_staff", "portal:tenants:signboard_new", None, {"text": "x"}, 403, id="staff-signboard"),
    pytest.param("anonymous", "desk:tenants:movein_detail", "movein", {"step": "agreement"}, 302, id="anon-movein"),
]


def _snapshot(records) -> dict:
    from billing.models import Bill, Payment
    from jinyuan.attachments.models import Attachment
    from tenants.models import MoveIn, MoveOut, Signboard

    counts = {m.__name__: m.objects.count() for m in (AuditEvent, Document, Bill, Payment, Attachment, MoveOut)}
    states = {m.__name__: sorted(m.objects.values_list("pk", "status")) for m in (MoveIn, MoveOut, Signboard)}
    return {**counts, **states}


@pytest.mark.parametrize(("who", "name", "record", "data", "status"), REFUSED_OTHER_POSTS)
def test_refused_post_on_other_records_changes_nothing(records, persona, who, name, record, data, status):
    url = reverse(name, args=[records[record].pk] if record else [])
    for key in ("movein", "moveout", "signboard"):
        records[key]
    before = _snapshot(records)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(records) == before


# Anonymous visitors learn nothing, not even whether an id exists: the login page comes first.
@pytest.mark.parametrize("name", [name for name, _ in UNKNOWN_IDS])
def test_anonymous_with_an_unknown_id_is_sent_to_login(db, name):
    url = reverse(name, args=[987654])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_someone_elses_notification_cannot_be_opened(client_for, desk, guard):
    from jinyuan.workflow.services import notify

    (note,) = notify([desk], title="t", dedup_key="k")
    assert client_for(guard).post(reverse("notification_open", args=[note.pk])).status_code == 404
    assert client_for(None).post(reverse("notification_open", args=[note.pk])).status_code == 302


# --- the admin -----------------------------------------------------------------------------------

ADMIN_MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def admin_data(records, desk, client_for):
    """At least one row of every registered model, so that change pages can be opened."""
    from axes.models import AccessFailureLog

    from jinyuan.workflow.services import notify

    for key in (
        "submitted",
        "issued",
        "movein",
        "moveout",
        "signboard",
        "archive",
        "bill",
        "payment",
        "photo",
        "followup",
        "renovation_works",
        "renovation_in_works",
        "worker_pass",
        "release_note_issued",
        "access_pass_lost",
        "parking_permit",
        "power_permit",
        "hot_work_approved",
        "elevator_booking",
        "venue_event_approved",
        "room_booking",
        "service_charge",
        "repair_quote",
        "arrears",
        "late_fee_bill",
        "notice_batch",
        "announcement_published",  # 公告 (issue 16, frontdesk)
    ):
        records[key]
    factories.make_deposit(records["tenant_a"], desk)
    # 客户 (issue 14): a payer who is not a tenant.
    from tests.billing.payer_helpers import make_customer

    make_customer(desk)
    notify([desk], title="t", dedup_key="admin-data")
    GateCheck.objects.create(
        document=records["issued"].document, by=desk, action="check", result="done", verdict="valid"
    )
    Client().post(LOGIN, {"username": desk.username, "password": "wrong"})  # an axes attempt and log
    AccessFailureLog.objects.create(username=desk.username, ip_address="10.0.0.1", user_agent="test", path_info=LOGIN)
    # 报修 repairs (issue 11): a category and a ticket for the admin pages.
    from repairs import services as repair_services
    from repairs.models import RepairCategory

    category = RepairCategory.objects.create(name="水电")
    repair_services.report(by=desk, category=category, reporter_name="王", phone="13877110001", description="漏水")
    # A signed-off ticket for the ratings admin.
    from tests.repairs.feedback_helpers import completed, scores

    rated = completed(desk, records.fixture("engineer"), category, tenant=records["tenant_a"])
    repair_services.sign_off(rated, by=records.fixture("tenant_a_admin"), **scores(comment="金源"))
    # 投诉 complaints (issue 12): a category and an anonymous complaint (its complainant masked).
    from tests.complaints.helpers import recorded

    recorded(desk, tenant=records["tenant_a"], anonymous=True)
    _service_report(records)  # the monthly report's admin
    # 发票 invoice requests (issue 14): a request, which keeps the company's invoice profile.
    from tests.billing.invoice_helpers import request_invoice

    request_invoice(records["tenant_a"], desk)
    # 抄表 meters (issue 14): a billed round for the meter, round, reading and charge admins.
    from tests.tenants.meter_helpers import billed_round

    billed_round(records)
    # 前台 duty log and inquiries (issue 16): an inquiry, which opens a shift with its log entry.
    from frontdesk import inquiry_services

    inquiry_services.inquiry_log(
        by=desk, channel="walk_in", kind="visitor", question="找金源", tenant=records["tenant_a"]
    )
    # 业户走访 / 应急事件 (issue 16): a plan, a visit with a need (a follow-up item), an emergency.
    from tests.frontdesk.liaison_data import make_emergency, make_plan, make_visit, need

    make_plan(desk)
    make_visit(records["tenant_a"], desk, needs=[need(desk)])
    make_emergency(records.fixture("building"), desk)
    # 废品收购 / 代派资料 (issue 16): recyclers, prices, a settled request (lines, voucher) and a
    # completed material distribution.
    records["recycle_cash"]
    records["distribution_done"]
    # 品质检查 (issue 17): a sheet and a check with a non-conformity.
    from tests.frontdesk.quality_data import make_check, make_sheet

    make_check(make_sheet(), desk, [1, 10, 5])
    # 大厦管理日志 (issue 17): a signed management log (its content frozen, its PDF issued).
    from frontdesk import management_log_services

    management_log_services.log_sign(day=timezone.localdate(), by=records.fixture("supervisor"))
    # 巡视 (issue 17): points, a route with its stops, a plan with its window, the day's task.
    from tests.frontdesk.patrol_data import make_task

    make_task(records.fixture("building"), records.fixture("guard"))
    # The supervisor dashboard's monthly report (issue 17), as the beat draws it up.
    from frontdesk.dashboard_services import report_draft

    report_draft(datetime.date(2026, 10, 1))
    return records


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_and_change_page_open(admin_data, client_for, superuser, model):
    client = client_for(superuser)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "金源"}).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {opts.label} row to open"
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


PROJECT_ADMIN_MODELS = [m for m in ADMIN_MODELS if m._meta.app_label not in ("auth", "axes")]


@pytest.mark.parametrize("model", PROJECT_ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_supervisor_uses_the_admin(admin_data, client_for, supervisor, model):
    """Supervisors are not superusers: the role's permissions open every model of the project."""
    client = client_for(supervisor)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def test_supervisor_cannot_delete_in_the_admin(admin_data, client_for, supervisor):
    cert = admin_data["submitted"]
    response = client_for(supervisor).post(
        reverse("admin:permits_premisescertificate_delete", args=[cert.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert PremisesCertificate.objects.filter(pk=cert.pk).exists()


@pytest.mark.parametrize("who", ["desk", "guard", "tenant_a_admin"])
def test_non_staff_users_are_sent_to_the_admin_login(persona, who):
    response = client_as(persona, who).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- release notes 大件物品放行条 (issue 9): tests/permits/test_access_release_notes.py's records ---


def _release_note(state):
    def make(r):
        from tests.permits.release_data import make_note

        people = {"applicant": r.fixture("tenant_a_admin"), "desk": r.fixture("desk"), "guard": r.fixture("guard")}
        return make_note(state, tenant=r.fixture("tenant_a"), **people)

    return make


MAKERS |= {f"release_note_{state}": _release_note(state) for state in ("submitted", "returned", "issued")}


# --- hot-work permits 动火作业 (issue 10): tests/permits/test_access_hot_work.py's records ---


def _hot_work(state):
    def make(r):
        from tests.permits.hot_work_data import make_hot_work

        people = {
            "applicant": r.fixture("tenant_a_admin"),
            "engineer": r.fixture("engineer"),
            "guard": r.fixture("guard"),
        }
        return make_hot_work(state, tenant=r.fixture("tenant_a"), **people)

    return make


MAKERS |= {f"hot_work_{state}": _hot_work(state) for state in ("submitted", "security_review", "returned", "approved")}
# --- freight-elevator slots 专用货梯 (issue 10): tests/permits/elevator_data.py's records ---
from tests.permits.elevator_data import ACCESS_MAKERS as ELEVATOR_MAKERS  # noqa: E402

MAKERS |= ELEVATOR_MAKERS
# --- public space and events 公共场地 / 商业文化活动 (issue 15): tests/venues/application_data.py ---
from tests.venues.application_data import ACCESS_MAKERS as VENUE_APPLICATION_MAKERS  # noqa: E402

MAKERS |= VENUE_APPLICATION_MAKERS
# --- recyclables 废品收购 and material distribution 代派资料 (issue 16): tests/frontdesk/recycle_data.py
from tests.frontdesk.recycle_data import ACCESS_MAKERS as FRONTDESK_REQUEST_MAKERS  # noqa: E402

MAKERS |= FRONTDESK_REQUEST_MAKERS


# --- 报修 repair tickets (issue 11): a company's ticket the engineer persona accepted, a pooled one ---
def _repair(state):
    def make(r):
        from tests.repairs.page_data import ticket

        if state == "pooled":
            return ticket(r.fixture("desk"), "pooled", place="B2 车库")
        return ticket(
            r.fixture("desk"),
            state,
            engineer=r.fixture("engineer"),
            tenant=r.fixture("tenant_a"),
            unit=r.fixture("unit_a"),
        )

    return make


MAKERS |= {f"repair_{state}": _repair(state) for state in ("reported", "pooled", "accepted")}


def _repair_completed(r):
    from tests.repairs.feedback_helpers import completed, water_category

    return completed(r.fixture("desk"), r.fixture("engineer"), water_category(), tenant=r.fixture("tenant_a"))


MAKERS["repair_completed"] = _repair_completed
# --- paid services and repair quotes (issue 11): rows for the admin pages ---------------------


def _service_charge(r):
    from decimal import Decimal

    from billing.models import FeeItem
    from billing.paid import PaidItem
    from billing.paid_services import service_charge

    item, _made = FeeItem.objects.get_or_create(
        code="repair_labour", defaults={"name": "维修人工", "kind": FeeItem.Kind.ONE_OFF, "price": Decimal(80)}
    )
    return service_charge(
        tenant=r.fixture("tenant_a"),
        items=[PaidItem(item, Decimal(1))],
        materials=[],
        title="更换灯管",
        by=r.fixture("desk"),
    )


def _repair_quote(r):
    from decimal import Decimal

    from billing.models import FeeItem
    from billing.paid import PaidItem
    from repairs import quotes
    from repairs import services as repair_services
    from repairs.models import RepairCategory

    desk, engineer = r.fixture("desk"), r.fixture("engineer")
    item, _made = FeeItem.objects.get_or_create(
        code="repair_labour", defaults={"name": "维修人工", "kind": FeeItem.Kind.ONE_OFF, "price": Decimal(80)}
    )
    category, _made = RepairCategory.objects.get_or_create(name="有偿维修", defaults={"paid": True})
    ticket = repair_services.report(
        by=desk,
        category=category,
        tenant=r.fixture("tenant_a"),
        reporter_name="王",
        phone="13877110001",
        description="灯坏",
    )
    repair_services.assign(ticket, engineer=engineer, by=desk)
    repair_services.accept(ticket, by=engineer)
    repair_services.arrive(ticket, by=engineer)
    return quotes.quote_propose(ticket=ticket, items=[PaidItem(item, Decimal(1))], materials=[], by=engineer)


MAKERS |= {"service_charge": _service_charge, "repair_quote": _repair_quote}
# The quote pages take the ticket: a paid ticket with a quote waiting for the tenant.
MAKERS["repair_quoted"] = lambda r: _repair_quote(r).ticket


# --- 投诉 complaints (issue 12): tenant A's complaint recorded by the desk, taken along the reply
# workflow (engineering, the engineer persona) to the state the key names ---
def _complaint(state):
    def make(r):
        from tests.complaints.helpers import in_state

        people = {name: r.fixture(name) for name in ("desk", "supervisor", "engineer")}
        return in_state(state, tenant=r.fixture("tenant_a"), **people)

    return make


MAKERS |= {f"complaint_{state}": _complaint(state) for state in ("recorded", "assigned", "proposed", "closed")}


# --- the monthly service report (issue 12): last month's, drafted as the beat task does ---
def _service_report(r):
    import datetime as dt

    from complaints import reports

    report, _created = reports.service_report_draft(dt.date(2026, 11, 1))
    return report


MAKERS["service_report"] = _service_report


# --- 催缴 arrears (issue 13): a reminder sent, a notice, a demand letter, a call (admin rows) ---
def _arrears(r):
    from billing.arrears import reminders_send
    from tests.billing.access_arrears_data import make_arrears_with_reminder

    made = make_arrears_with_reminder(r.fixture("tenant_a"), r.fixture("desk"), r.fixture("supervisor"))
    reminders_send()
    return made


MAKERS |= {"arrears": _arrears}
# The arrears pages' records (tests/billing/test_access_arrears.py): tenant A's notice and letter.
MAKERS |= {"notice": lambda r: r["arrears"]["notice"], "letter": lambda r: r["arrears"]["letter"]}
MAKERS["notice_batch"] = lambda r: r["arrears"]["notice_batch"]


# --- late fees 违约金 (issue 13): tenant A's bill overdue since January 2026 under a 0.03 %/day
# clause, January billed and a little of the rest waived (rows for the two late-fee admins) ---
def _late_fee_bill(r):
    from datetime import date
    from decimal import Decimal

    from billing import latefee_services
    from tests.billing.helpers import ensure_price_list
    from tests.billing.late_fee_helpers import agree, overdue_bill

    desk = r.fixture("desk")
    ensure_price_list()
    agree(r.fixture("tenant_a"))
    bill = overdue_bill(r.fixture("tenant_a"), desk, "1000.00", date(2026, 1, 15))
    latefee_services.late_fees_bill(tenant=bill.tenant, by=desk, on=date(2026, 2, 1))
    latefee_services.late_fee_waive(bill=bill, amount=Decimal("0.30"), reason="首次逾期", by=r.fixture("supervisor"))
    return bill


MAKERS["late_fee_bill"] = _late_fee_bill


# --- issue 14: the records of tests/billing/test_access_invoices.py, test_access_payers.py and
# tests/tenants/test_access_meters.py, for the accessibility walk over every matrix page ---
def _invoice_request(r):
    from tests.billing.invoice_helpers import request_invoice

    return request_invoice(r.fixture("tenant_a"), r.fixture("tenant_a_admin")).pk


def _customer(r):
    from tests.billing.payer_helpers import make_customer

    return make_customer(r.fixture("desk"))


def _meters(r):
    from tests.tenants.meter_helpers import ensure_utility_items, meter, months_ago, open_round, read, series

    ensure_utility_items()
    building, desk = r.fixture("building"), r.fixture("desk")
    unit_a = r.fixture("unit_a")
    power = meter(unit_a, "electricity")
    series(building, desk, r.fixture("supervisor"), {power: ["1000.00"]}, months=1)
    reading_round = open_round(building, months_ago(0), desk)
    (held,) = read(reading_round, desk, (power, "900.00"))
    return {"meter": power, "round": reading_round, "held": held, "floor": unit_a.floor}


MAKERS |= {"request": _invoice_request, "customer": _customer, "meters": _meters}
MAKERS |= {key: (lambda k: lambda r: r["meters"][k])(key) for key in ("meter", "round", "held", "floor")}

# --- venues: meeting rooms 会议室 (issue 15): tests/venues/room_data.py's records ---------------
from tests.venues.room_data import ACCESS_MAKERS as ROOM_MAKERS  # noqa: E402

MAKERS |= ROOM_MAKERS


# --- front desk (issue 16): the duty log's and the inquiries' records ------------------------------
from tests.frontdesk.test_access_duty import MAKERS as DUTY_MAKERS  # noqa: E402
from tests.frontdesk.test_access_inquiries import MAKERS as INQUIRY_MAKERS  # noqa: E402

MAKERS |= DUTY_MAKERS | INQUIRY_MAKERS
# --- frontdesk: announcements 公告 (issue 16): tests/frontdesk/notice_data.py's records ----------
from tests.frontdesk.notice_data import ACCESS_MAKERS as NOTICE_MAKERS  # noqa: E402

MAKERS |= NOTICE_MAKERS
# --- 业户走访 / 跟进事项 / 应急事件 (issue 16): tests/frontdesk/liaison_data.py's records ---
from tests.frontdesk.liaison_data import ACCESS_MAKERS as LIAISON_MAKERS  # noqa: E402

MAKERS |= LIAISON_MAKERS
# --- 巡视 / 大厦管理日志 / 品质检查 / the supervisor dashboard (issue 17): their records -------------
from tests.frontdesk.test_access_dashboard import MAKERS as DASHBOARD_MAKERS  # noqa: E402
from tests.frontdesk.test_access_management_log import MAKERS as MANAGEMENT_LOG_MAKERS  # noqa: E402
from tests.frontdesk.test_access_patrols import MAKERS as PATROL_MAKERS  # noqa: E402
from tests.frontdesk.test_access_quality import MAKERS as QUALITY_MAKERS  # noqa: E402

_SUPERVISION_MAKERS = PATROL_MAKERS | MANAGEMENT_LOG_MAKERS | QUALITY_MAKERS | DASHBOARD_MAKERS
# One name, one record: a key of these must not replace another part's.
assert not set(_SUPERVISION_MAKERS) & set(MAKERS), set(_SUPERVISION_MAKERS) & set(MAKERS)
MAKERS |= _SUPERVISION_MAKERS
