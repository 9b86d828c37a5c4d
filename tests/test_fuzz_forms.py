"""Random input never gives a 500: the portal request form, register filters, action POSTs.

The test client re-raises any exception a view lets through, so a 500 fails loudly here.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from permits.models import PremisesCertificate
from tests import factories

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=50,
    database=None,  # no .hypothesis/ directory in the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OK = {200, 302, 400, 403, 404}

# Anything a browser (or a script) might send as a form value.
junk = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e9", "NaN", "true", "None", "\x00", "'; DROP TABLE x; --", "２"]),
    st.dates().map(str),
    st.text(alphabet="0123456789-", max_size=12),
)
maybe = st.one_of(st.none(), junk)


def params(**values) -> dict:
    """Drop the fields hypothesis chose to leave out (None)."""
    return {k: v for k, v in values.items() if v is not None}


@FUZZ
@given(
    unit=st.one_of(junk, st.sampled_from(["UNIT_A", "UNIT_B"])),
    purpose=st.one_of(junk, st.sampled_from(PremisesCertificate.Purpose.values)),
    purpose_detail=maybe,
    copies=maybe,
)
@example(unit="UNIT_A", purpose="other", purpose_detail=None, copies="1")
@example(unit="UNIT_B", purpose="tax", purpose_detail="", copies="0")
@example(unit="UNIT_A", purpose="tax", purpose_detail="\x00", copies="abc")
def test_portal_request_form_never_fails(
    client_for, tenant_a_admin, unit_a, unit_b, unit, purpose, purpose_detail, copies
):
    unit = {"UNIT_A": str(unit_a.pk), "UNIT_B": str(unit_b.pk)}.get(unit, unit)
    before = PremisesCertificate.objects.count()
    data = params(unit=unit, purpose=purpose, purpose_detail=purpose_detail, copies=copies)
    response = client_for(tenant_a_admin).post(reverse("portal:permits:certificate_new"), data)
    assert response.status_code in {200, 302}
    created = PremisesCertificate.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
    if created:
        cert = PremisesCertificate.objects.latest("pk")
        assert cert.unit == unit_a  # never someone else's unit
        assert 1 <= cert.copies <= 5


@FUZZ
@given(
    name=st.sampled_from(
        [
            "desk:tenants:tenant_list",
            "desk:tenants:unit_list",
            "desk:permits:certificate_list",
            "desk:tenants:building_list",
            "desk:tenants:movein_list",
            "desk:tenants:moveout_list",
            "desk:tenants:signboard_list",
            "desk:billing:bill_list",
            "desk:billing:payment_list",
            "desk:billing:deposit_list",
        ]
    ),
    q=maybe,
    building=maybe,
    floor=maybe,
    status=st.one_of(maybe, st.sampled_from(PremisesCertificate.Status.values)),
    created_after=maybe,
    created_before=maybe,
    page=maybe,
    vacant=maybe,
    occupying=maybe,
    export=st.sampled_from([None, "xlsx", "csv"]),
)
@example(
    name="desk:tenants:unit_list",
    q=None,
    building="99999999999999999999",
    floor="40000",
    status=None,
    created_after=None,
    created_before=None,
    page=None,
    vacant=None,
    occupying=None,
    export=None,
)
@example(
    name="desk:permits:certificate_list",
    q="\x00",
    building=None,
    floor=None,
    status=None,
    created_after="2026-02-30",
    created_before="0000-01-01",
    page="last",
    vacant=None,
    occupying=None,
    export="xlsx",
)
def test_desk_register_filters_never_fail(
    client_for,
    desk,
    make_certificate,
    name,
    q,
    building,
    floor,
    status,
    created_after,
    created_before,
    page,
    vacant,
    occupying,
    export,
):
    data = params(
        q=q,
        building=building,
        floor=floor,
        status=status,
        created_after=created_after,
        created_before=created_before,
        page=page,
        vacant=vacant,
        occupying=occupying,
        export=export,
    )
    response = client_for(desk).get(reverse(name), data)
    assert response.status_code in {200, 404}  # 404: a page number past the end


@FUZZ
@given(status=maybe, page=maybe)
def test_portal_certificate_list_filters_never_fail(client_for, tenant_a_staff, status, page):
    response = client_for(tenant_a_staff).get(
        reverse("portal:permits:certificate_list"), params(status=status, page=page)
    )
    assert response.status_code in {200, 404}


ACTIONS = ["pass_check", "send_back", "approve", "reject", "revoke", "resubmit", "withdraw"]


@pytest.fixture
def fuzz_certs(make_certificate):
    return {state: make_certificate(state) for state in ("submitted", "checked", "issued")}


@FUZZ
@given(
    who=st.sampled_from(["desk", "supervisor", "guard", "tenant_a_admin", "tenant_a_staff", "tenant_b_admin"]),
    side=st.sampled_from(["desk", "portal"]),
    state=st.sampled_from(["submitted", "checked", "issued"]),
    action=st.one_of(st.sampled_from(ACTIONS), maybe),
    note=maybe,
)
@example(who="desk", side="desk", state="submitted", action="send_back", note="")
@example(who="supervisor", side="desk", state="checked", action="reject", note="x" * 1001)
@example(who="tenant_a_admin", side="portal", state="submitted", action="withdraw", note="\x00")
def test_action_posts_never_fail(request, client_for, fuzz_certs, who, side, state, action, note):
    cert = PremisesCertificate.objects.get(pk=fuzz_certs[state].pk)
    response = client_for(request.getfixturevalue(who)).post(
        reverse(f"{side}:permits:certificate_detail", args=[cert.pk]), params(action=action, note=note)
    )
    assert response.status_code in OK


# --- every other form page: whatever fields the page renders, filled with junk ------------------

TAG = re.compile(r"<(?:input|select|textarea|button)\b[^>]*>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')
SELECT = re.compile(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"')
IGNORED = {"csrfmiddlewaretoken", "next", "language"}


def form_fields(html: str) -> dict[str, tuple[str, set[str]]]:
    """name -> (input type, values present on the page) of every field the page renders."""
    fields: dict[str, tuple[str, set[str]]] = {}
    for tag in TAG.findall(html):
        attrs = dict(ATTR.findall(tag))
        name = attrs.get("name")
        if not name or name in IGNORED:
            continue
        kind, values = fields.get(name, (attrs.get("type", "text"), set()))
        if attrs.get("value"):
            values.add(attrs["value"])
        fields[name] = (kind, values)
    for name, options in SELECT.findall(html):
        if name in fields:
            fields[name][1].update(v for v in OPTION.findall(options) if v)
    return fields


def field_value(kind: str, values: set[str]):
    if kind == "file":
        return st.one_of(st.none(), st.binary(max_size=64).map(lambda b: SimpleUploadedFile("scan.pdf", b"%PDF-" + b)))
    known = [st.sampled_from(sorted(values))] if values else []
    return st.one_of(maybe, *known)


@pytest.fixture
def form_records(request, tenant_a, desk):
    floor = factories.FloorFactory(building=tenant_a.occupancies.get().unit.floor.building, number=44)
    records = {
        "tenant_a": tenant_a,
        "movein": factories.make_movein(tenant_a, desk, unit=factories.UnitFactory(floor=floor)),
        "moveout": factories.make_moveout(tenant_a, desk),
        "signboard": factories.make_signboard(tenant_a, desk),
    }
    if "complaint" in request.node.name:
        records.update(_complaints(request, tenant_a, desk))
    if "late_fee" in request.node.name:
        from datetime import date

        from tests.billing.helpers import ensure_price_list
        from tests.billing.late_fee_helpers import agree, overdue_bill

        ensure_price_list()
        agree(tenant_a)  # 违约金: a bill overdue under a 0.03 %/day clause, its fee to waive
        records["late_fee_bill"] = overdue_bill(tenant_a, desk, "1000.00", date(2026, 1, 15))
    if "invoice" in request.node.name:
        factories.make_payment(tenant_a, desk, "800.00")  # 发票: a payment to invoice
    return records


def _complaints(request, tenant_a, desk) -> dict:
    """Complaints at each step with a form (投诉, issue 12), for the complaint pages only."""
    from complaints import services as complaint_services
    from tests.complaints.helpers import category, in_state

    people = {name: request.getfixturevalue(name) for name in ("supervisor", "engineer")}
    return {
        "complaint_acknowledged": in_state("acknowledged", desk=desk, tenant=tenant_a, **people),
        "complaint_assigned": in_state("assigned", desk=desk, tenant=tenant_a, **people),
        "complaint_proposed": in_state("proposed", desk=desk, tenant=tenant_a, **people),
        "complaint_approved": in_state("approved", desk=desk, tenant=tenant_a, **people),
        "complaint_own": complaint_services.record(
            by=request.getfixturevalue("tenant_a_admin"), category=category(), channel="portal", content="x"
        ),
    }


FORM_PAGES = [
    ("desk", "desk:tenants:movein_new", "tenant_a"),
    ("desk", "desk:tenants:moveout_new", "tenant_a"),
    ("desk", "desk:tenants:signboard_new", "tenant_a"),
    ("desk", "desk:tenants:archive_upload", "tenant_a"),
    ("desk", "desk:billing:bill_new", "tenant_a"),
    ("desk", "desk:billing:payment_new", "tenant_a"),
    ("desk", "desk:tenants:movein_detail", "movein"),
    ("desk", "desk:tenants:moveout_detail", "moveout"),
    ("supervisor", "desk:tenants:signboard_detail", "signboard"),
    ("supervisor", "desk:billing:moveout_deposit", "moveout"),
    ("supervisor", "desk:billing:late_fee_waive", "late_fee_bill"),
    ("tenant_a_admin", "portal:tenants:moveout_new", None),
    ("tenant_a_admin", "portal:tenants:signboard_new", None),
]
# Release notes (issue 9): the head and its items formset, at the desk and in the portal.
FORM_PAGES += [
    ("desk", "desk:permits:release_note_new", "tenant_a"),
    ("tenant_a_admin", "portal:permits:release_note_new", None),
]
# Complaints (issue 12): the intake at the desk and in the portal, and each step's form.
FORM_PAGES += [
    ("desk", "desk:complaints:complaint_new", None),
    ("tenant_a_admin", "portal:complaints:complaint_new", None),
    ("desk", "desk:complaints:complaint_detail", "complaint_acknowledged"),
    ("desk", "desk:complaints:complaint_detail", "complaint_assigned"),
    ("engineer", "desk:complaints:complaint_detail", "complaint_assigned"),
    ("supervisor", "desk:complaints:complaint_detail", "complaint_proposed"),
    ("desk", "desk:complaints:complaint_detail", "complaint_approved"),
    ("tenant_a_admin", "portal:complaints:complaint_detail", "complaint_own"),
]

# VAT invoice requests 发票 (issue 14): the request at the desk and in the portal.
FORM_PAGES += [
    ("desk", "desk:billing:invoice_new", "tenant_a"),
    ("tenant_a_admin", "portal:billing:invoice_new", None),
]


# Public space and events 公共场地 / 商业文化活动 (issue 15): the application at the desk and in the portal.
FORM_PAGES += [
    ("desk", "desk:venues:application_new_tenant", "tenant_a"),
    ("tenant_a_admin", "portal:venues:application_new", None),
]


@pytest.mark.parametrize(("who", "name", "record"), FORM_PAGES, ids=[n for _, n, _ in FORM_PAGES])
def test_form_pages_never_fail_on_junk(request, client_for, form_records, who, name, record):
    client = client_for(request.getfixturevalue(who))
    url = reverse(name, args=[form_records[record].pk] if record else [])
    page = client.get(url)
    assert page.status_code == 200
    fields = form_fields(page.content.decode())
    assert fields, f"{name} renders no form fields"

    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({n: field_value(kind, values) for n, (kind, values) in fields.items()}))
    def post_junk(data):
        response = client.post(url, {k: v for k, v in data.items() if v is not None})
        assert response.status_code in OK, (name, data, response.status_code)

    post_junk()


# --- query strings of every page: the page's own GET fields and the parameters views read -------

GET_FORM = re.compile(r'<form\b[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)
# Parameters views read from the query string outside a filter form.
VIEW_PARAMS = ("page", "export", "bill", "replaces", "period", "q", "status", "building")


def _query_pages():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                yield f"{prefix}{p.name}"

    names = sorted(n for n in walk(get_resolver().url_patterns) if n.startswith(("desk:", "portal:")))
    pages = [("desk" if n.startswith("desk:") else "tenant_a_admin", n, None) for n in names]
    return pages + [(who, name, record) for who, name, record in FORM_PAGES if record]


QUERY_PAGES = _query_pages()


@pytest.mark.parametrize(("who", "name", "record"), QUERY_PAGES, ids=[n for _, n, _ in QUERY_PAGES])
def test_query_strings_never_fail(request, client_for, form_records, who, name, record):
    client = client_for(request.getfixturevalue(who))
    url = reverse(name, args=[form_records[record].pk] if record else [])
    page = client.get(url)
    if page.status_code != 200:
        pytest.skip(f"{name} is {page.status_code} for {who} without parameters")
    html = page.content.decode() if page.get("Content-Type", "").startswith("text/html") else ""
    keys = set(VIEW_PARAMS)
    for form in GET_FORM.findall(html):
        keys |= set(form_fields(form))

    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(keys), junk)))
    def get_junk(query):
        response = client.get(url, query)
        assert response.status_code in OK, (name, query, response.status_code)

    get_junk()


@pytest.mark.parametrize(
    "query",
    [
        {"period": "1" * 30},
        {"period": "2026-13"},
        {"period": "２０２６-11"},
        {"bill": "²"},
        {"replaces": "²"},
        {"bill": "9" * 30},
    ],
)
def test_known_junk_that_once_gave_500s(client_for, desk, tenant_a, query):
    client = client_for(desk)
    for url in (
        reverse("desk:billing:bill_list"),
        reverse("desk:billing:payment_new", args=[tenant_a.pk]),
        reverse("desk:tenants:signboard_new", args=[tenant_a.pk]),
    ):
        assert client.get(url, query).status_code == 200, (url, query)


ADMIN_DATE_LISTS = [
    ("permits_premisescertificate", "created_at"),
    ("billing_bill", "issued_on"),
    ("documents_document", "issued_at"),
]


@pytest.mark.parametrize(("model", "field"), ADMIN_DATE_LISTS)
@pytest.mark.parametrize("year", ["1" * 30, "-1", "0", "²", "10000"])
def test_admin_date_filters_with_impossible_years_never_fail(client_for, supervisor, model, field, year):
    response = client_for(supervisor).get(reverse(f"admin:{model}_changelist"), {f"{field}__year": year})
    assert response.status_code in {200, 302, 400}


def test_notifications_are_not_added_in_the_admin(client_for, supervisor):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (supervisor, superuser):
        assert client_for(user).post(reverse("admin:workflow_notification_add"), {}).status_code == 403
