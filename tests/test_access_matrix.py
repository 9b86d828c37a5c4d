"""Who may open what: every desk and portal page by persona, unknown ids, refused POSTs, admin.

Table-driven. A new page gets a row in PAGES (``test_every_desk_and_portal_url_has_a_row`` fails
until it does); a new refused action gets a row in REFUSED_POSTS.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from jinyuan.documents.models import Document, GateCheck
from jinyuan.workflow.models import AuditEvent
from permits.models import PremisesCertificate
from tests import factories
from tests.conftest import PERSONAS, STAFF_PERSONAS, TENANT_PERSONAS

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
EVERYONE = ("anonymous", *PERSONAS)


def desk_page(*roles: str) -> dict[str, int]:
    """A desk page the given staff roles may open; other staff and tenants get 403."""
    return {
        "anonymous": 302,
        **{who: 200 if who in roles else 403 for who in STAFF_PERSONAS},
        **dict.fromkeys(TENANT_PERSONAS, 403),
    }


DESK_PAGE = desk_page(*STAFF_PERSONAS)
DESK_ROLES_PAGE = desk_page("desk", "supervisor")  # front desk and supervisor only
MONEY_PAGE = desk_page("desk", "finance", "supervisor")
SUPERVISOR_PAGE = desk_page("supervisor")
PORTAL_PAGE = {"anonymous": 302, **dict.fromkeys(STAFF_PERSONAS, 403), **dict.fromkeys(TENANT_PERSONAS, 200)}
PORTAL_ADMIN_PAGE = {**PORTAL_PAGE, "tenant_a_staff": 403}
TENANT_A_RECORD = {**PORTAL_PAGE, "tenant_b_admin": 404}
ANY_USER = {"anonymous": 302, **dict.fromkeys(PERSONAS, 200)}


@dataclass(frozen=True)
class Page:
    name: str  # URL name
    expect: dict[str, int]  # persona -> status
    record: str | None = None  # key of ``records`` whose pk the URL takes
    xfail: dict[str, str] = field(default_factory=dict)  # persona -> known bug in that cell

    def url(self, records) -> str:
        return reverse(self.name, args=[records[self.record].pk] if self.record else [])


PAGES = [
    Page("desk:home", DESK_PAGE),
    # premises and tenants
    Page("desk:building_list", DESK_PAGE),
    Page("desk:building_detail", DESK_PAGE, "building"),
    Page("desk:unit_list", DESK_PAGE),
    Page("desk:tenant_list", DESK_PAGE),
    Page("desk:tenant_detail", DESK_PAGE, "tenant_a"),
    Page("desk:directory", DESK_PAGE),
    Page("desk:archive_upload", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:archive_file", DESK_ROLES_PAGE, "archive"),  # licences, leases, ID scans: desk only
    # move-in, move-out, signboards
    Page("desk:movein_list", DESK_PAGE),
    Page("desk:movein_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:movein_detail", DESK_PAGE, "movein"),
    Page("desk:moveout_list", DESK_PAGE),
    Page("desk:moveout_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:moveout_detail", DESK_PAGE, "moveout"),
    Page("desk:signboard_list", DESK_PAGE),
    Page("desk:signboard_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:signboard_detail", DESK_PAGE, "signboard"),
    # billing
    Page("desk:bill_list", MONEY_PAGE),
    Page("desk:bill_detail", MONEY_PAGE, "bill"),
    Page("desk:account", MONEY_PAGE, "tenant_a"),
    Page("desk:bill_new", MONEY_PAGE, "tenant_a"),
    Page("desk:payment_new", MONEY_PAGE, "tenant_a"),
    Page("desk:payment_list", MONEY_PAGE),
    Page("desk:payment_detail", MONEY_PAGE, "payment"),
    Page("desk:receipt_pdf", MONEY_PAGE, "payment"),
    Page("desk:deposit_list", MONEY_PAGE),
    Page("desk:movein_charges", MONEY_PAGE, "movein"),
    Page("desk:moveout_deposit", SUPERVISOR_PAGE, "moveout"),
    # premises certificates
    Page("desk:certificate_list", DESK_PAGE),
    Page("desk:certificate_detail", DESK_PAGE, "submitted"),
    Page("desk:certificate_pdf", DESK_PAGE, "issued"),
    # the portal
    Page("portal:home", PORTAL_PAGE),
    Page("portal:movein_detail", TENANT_A_RECORD, "movein"),
    Page("portal:moveout_new", PORTAL_ADMIN_PAGE),
    Page("portal:moveout_detail", TENANT_A_RECORD, "moveout"),
    Page("portal:signboard_new", PORTAL_ADMIN_PAGE),
    Page("portal:archive_file", TENANT_A_RECORD, "archive"),
    Page("portal:billing_home", PORTAL_PAGE),
    Page("portal:bill_detail", TENANT_A_RECORD, "bill"),
    Page("portal:receipt_pdf", TENANT_A_RECORD, "payment"),
    Page("portal:certificate_list", PORTAL_PAGE),
    Page("portal:certificate_new", PORTAL_ADMIN_PAGE),
    Page("portal:certificate_detail", TENANT_A_RECORD, "submitted"),
    Page("portal:certificate_pdf", TENANT_A_RECORD, "issued"),
    # the gate: security and supervisors
    Page("gate", desk_page("guard", "supervisor")),
    # both sides
    Page("notifications", ANY_USER),
    Page("accounts:password_change", ANY_USER),
]

# Pages that take an id: with an id that does not exist, one who may open the page gets 404.
UNKNOWN_IDS = [
    ("desk:building_detail", "desk"),
    ("desk:tenant_detail", "guard"),
    ("desk:archive_upload", "desk"),
    ("desk:archive_file", "supervisor"),
    ("desk:movein_new", "desk"),
    ("desk:movein_detail", "engineer"),
    ("desk:moveout_new", "supervisor"),
    ("desk:moveout_detail", "guard"),
    ("desk:signboard_new", "desk"),
    ("desk:signboard_detail", "finance"),
    ("desk:bill_detail", "finance"),
    ("desk:account", "finance"),
    ("desk:bill_new", "desk"),
    ("desk:payment_new", "finance"),
    ("desk:payment_detail", "supervisor"),
    ("desk:receipt_pdf", "finance"),
    ("desk:movein_charges", "desk"),
    ("desk:moveout_deposit", "supervisor"),
    ("desk:certificate_detail", "supervisor"),
    ("desk:certificate_pdf", "finance"),
    ("portal:movein_detail", "tenant_a_staff"),
    ("portal:moveout_detail", "tenant_a_admin"),
    ("portal:archive_file", "tenant_a_admin"),
    ("portal:bill_detail", "tenant_a_staff"),
    ("portal:receipt_pdf", "tenant_a_admin"),
    ("portal:certificate_detail", "tenant_a_admin"),
    ("portal:certificate_pdf", "tenant_a_staff"),
]


def _vacant_unit(records):
    floor = factories.FloorFactory(building=records.fixture("building"), number=33)
    return factories.UnitFactory(floor=floor, number="3301")


# How each record is made on first use (through the services, by the desk persona).
MAKERS = {
    "building": lambda r: r.fixture("building"),
    "tenant_a": lambda r: r.fixture("tenant_a"),
    "submitted": lambda r: r.fixture("make_certificate")("submitted"),
    "checked": lambda r: r.fixture("make_certificate")("checked"),
    "issued": lambda r: r.fixture("make_certificate")("issued"),
    "movein": lambda r: factories.make_movein(r.fixture("tenant_a"), r.fixture("desk"), unit=_vacant_unit(r)),
    "moveout": lambda r: factories.make_moveout(r.fixture("tenant_a"), r.fixture("desk")),
    "signboard": lambda r: factories.make_signboard(r.fixture("tenant_a"), r.fixture("desk")),
    "archive": lambda r: factories.make_archive_file(r.fixture("tenant_a"), r.fixture("desk")),
    "bill": lambda r: factories.make_bill(r.fixture("tenant_a"), r.fixture("desk")),
    "payment": lambda r: factories.make_payment(r.fixture("tenant_a"), r.fixture("desk")),
}


class LazyRecords(dict):
    """Records made on first use: most rows need one of them, or none."""

    def __init__(self, request):
        super().__init__()
        self.fixture = request.getfixturevalue

    def __missing__(self, key):
        value = self[key] = MAKERS[key](self)
        return value


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request)


def client_as(persona, who: str) -> Client:
    client = Client()
    user = persona(who)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("page", "who"),
    [
        pytest.param(
            page,
            who,
            id=f"{page.name}-{who}",
            marks=[pytest.mark.xfail(reason=page.xfail[who], strict=True)] if who in page.xfail else [],
        )
        for page in PAGES
        for who in EVERYONE
    ],
)
def test_page_by_persona(records, persona, page, who):
    url = page.url(records)
    response = client_as(persona, who).get(url)
    expected = page.expect[who]
    assert response.status_code == expected, (url, who)
    if expected == 302:
        assert response["Location"] == f"{LOGIN}?next={url}"


@pytest.mark.parametrize(("name", "who"), UNKNOWN_IDS)
def test_unknown_id_is_404(persona, records, name, who):
    assert client_as(persona, who).get(reverse(name, args=[987654])).status_code == 404


def test_every_desk_and_portal_url_has_a_row():
    """A new page without a row here fails this test: add it to PAGES with its expectations."""
    named = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace in ("desk", "portal"):
            named |= {f"{pattern.namespace}:{p.name}" for p in pattern.url_patterns if p.name}
    assert named - {p.name for p in PAGES} == set()


# --- refused POSTs leave the record as it was --------------------------------------------------


@dataclass(frozen=True)
class Post:
    who: str
    side: str  # "desk" or "portal"
    state: str  # the record's state (key of ``records``)
    data: dict
    status: int


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
    url = reverse(f"{post.side}:certificate_detail", args=[cert.pk])
    events, documents = AuditEvent.objects.count(), Document.objects.count()
    response = client_as(persona, post.who).post(url, post.data)
    assert response.status_code == post.status
    if post.status == 302 and post.who == "anonymous":
        assert response["Location"].startswith(LOGIN)
    elif post.status == 302:
        assert response["Location"] == url
    assert PremisesCertificate.objects.get(pk=cert.pk).status == post.state
    assert AuditEvent.objects.count() == events
    assert Document.objects.count() == documents


# The same for the other records: (who, URL name, record the URL takes, POST data, status).
REFUSED_OTHER_POSTS = [
    pytest.param("guard", "desk:movein_detail", "movein", {"step": "agreement"}, 403, id="guard-movein-step"),
    pytest.param("desk", "desk:movein_detail", "movein", {"action": "cancel", "note": "x"}, 403, id="desk-cancels"),
    pytest.param("tenant_a_admin", "desk:movein_detail", "movein", {"action": "confirm"}, 403, id="tenant-confirms"),
    pytest.param("guard", "desk:signboard_detail", "signboard", {"action": "approve"}, 403, id="guard-signboard"),
    pytest.param("engineer", "desk:moveout_detail", "moveout", {"action": "complete"}, 403, id="eng-moveout"),
    pytest.param("finance", "desk:moveout_deposit", "moveout", {"refund": "0"}, 403, id="finance-refunds"),
    pytest.param("engineer", "desk:payment_new", "tenant_a", {"amount": "100", "method": "cash"}, 403, id="eng-pays"),
    pytest.param("guard", "desk:bill_new", "tenant_a", {"title": "x"}, 403, id="guard-bills"),
    pytest.param("guard", "desk:archive_upload", "tenant_a", {"kind": "licence"}, 403, id="guard-uploads"),
    pytest.param(
        "tenant_a_staff", "portal:moveout_new", None, {"planned_date": "2099-01-01"}, 403, id="staff-moves-out"
    ),
    pytest.param("tenant_a_staff", "portal:signboard_new", None, {"text": "x"}, 403, id="staff-signboard"),
    pytest.param("anonymous", "desk:movein_detail", "movein", {"step": "agreement"}, 302, id="anon-movein"),
]


def _snapshot(records) -> dict:
    from billing.models import Bill, Payment
    from tenants.models import ArchiveFile, MoveIn, MoveOut, Signboard

    counts = {m.__name__: m.objects.count() for m in (AuditEvent, Document, Bill, Payment, ArchiveFile, MoveOut)}
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

    for key in ("submitted", "issued", "movein", "moveout", "signboard", "archive", "bill", "payment"):
        records[key]
    factories.make_deposit(records["tenant_a"], desk)
    notify([desk], title="t", dedup_key="admin-data")
    GateCheck.objects.create(
        document=records["issued"].document, by=desk, action="check", result="done", verdict="valid"
    )
    Client().post(LOGIN, {"username": desk.username, "password": "wrong"})  # an axes attempt and log
    AccessFailureLog.objects.create(username=desk.username, ip_address="10.0.0.1", user_agent="test", path_info=LOGIN)
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
