"""The registry of menus, panels, quick links, figures and log events (jinyuan.navigation).

Menus show each persona exactly the pages the access matrix lets them open; kernel templates
and the tenants' portal home name no domain app's URL.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from jinyuan import navigation
from jinyuan.workflow import labels
from tenants.models import Membership
from tests import factories
from tests.conftest import STAFF_PERSONAS, TENANT_PERSONAS
from tests.matrix import OK, all_pages, named_urls

ROOT = Path(__file__).resolve().parents[2]
NAV = re.compile(r"<nav\b.*?</nav>", re.S)
HREF = re.compile(r'href="([^"#]+)"')


def _may_open() -> dict[str, dict[str, int]]:
    """URL name -> persona -> status, from the matrix rows of pages without a record."""
    return {p.name: p.expect for p in all_pages() if not p.record and not p.query}


def _menu_hrefs(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(HREF.findall(NAV.search(response.content.decode()).group()))


def _expected(entries, who: str, user, extra=lambda entry: True) -> tuple[set[str], set[str]]:
    """(URLs the persona should see, URLs of every entry): by the matrix row of each page."""
    matrix = _may_open()
    shown, every = set(), set()
    for entry in entries:
        url = reverse(entry.url_name)
        every.add(url)
        if entry.url_name == "admin:index":  # not a desk page: the admin lets in is_staff only
            allowed = user.is_staff
        else:
            assert entry.url_name in matrix, f"{entry.url_name}: a menu entry needs an access matrix row"
            allowed = matrix[entry.url_name][who] == OK
        if allowed and extra(entry):
            shown.add(url)
    return shown, every


SIDES = [(who, "desk:home", navigation.desk_entries) for who in STAFF_PERSONAS] + [
    (who, "portal:home", navigation.portal_entries) for who in TENANT_PERSONAS
]


@pytest.mark.parametrize(("who", "home", "entries"), SIDES, ids=[who for who, *_ in SIDES])
def test_persona_sees_exactly_the_menu_pages_they_may_open(persona, client_for, who, home, entries):
    user = persona(who)
    client = client_for(user)
    expected, every = _expected(entries(), who, user)

    shown = _menu_hrefs(client, reverse(home)) & every

    assert shown == expected
    for url in shown:
        assert client.get(url).status_code == 200, url


def test_engineering_and_security_see_no_billing_menu(client_for, engineer, guard, desk):
    bills = reverse("desk:billing:bill_list")
    assert bills in _menu_hrefs(client_for(desk), reverse("desk:home"))
    for user in (engineer, guard):
        assert bills not in _menu_hrefs(client_for(user), reverse("desk:home"))


def test_menus_reverse_their_urls_once_per_process(client_for, desk, monkeypatch):
    client = client_for(desk)
    client.get(reverse("desk:home"))  # warms the cache if no earlier test did

    def no_reverse(*args, **kwargs):
        raise AssertionError("menus reversed a URL name on a request")

    monkeypatch.setattr(navigation, "reverse", no_reverse)
    assert client.get(reverse("desk:billing:bill_list")).status_code == 200
    assert navigation.menu_urls(get_script_prefix())["desk:billing:bill_list"] == reverse("desk:billing:bill_list")


# --- portal home: the services of other apps come from the registry ---------------------------


def _services(client) -> set[str]:
    html = client.get(reverse("portal:home")).content.decode()
    card = html[html.index("list-group-item-action") - 200 :]
    return set(HREF.findall(card))


def test_portal_home_offers_billing_and_certificates_from_the_registry(client_for, tenant_a_admin, tenant_a_staff):
    admin = _services(client_for(tenant_a_admin))
    staff = _services(client_for(tenant_a_staff))

    assert reverse("portal:permits:certificate_list") in admin & staff
    # Bills are the admins' and of the staff they open the area to (the page's grant_area).
    assert reverse("portal:billing:billing_home") in admin - staff
    # Requests are for the company's portal admins, as their pages say (admin_only).
    assert reverse("portal:permits:certificate_new") in admin - staff
    assert reverse("portal:tenants:signboard_new") in admin - staff
    assert reverse("portal:tenants:grants") in admin - staff


def test_portal_menu_and_services_offer_bills_to_staff_with_the_grant(client_for, tenant_a_staff):
    bills = reverse("portal:billing:billing_home")
    client = client_for(tenant_a_staff)
    assert bills not in _menu_hrefs(client, reverse("portal:home"))
    assert bills not in _menu_hrefs(client, reverse("portal:permits:certificate_list"))

    Membership.objects.filter(user=tenant_a_staff).update(areas=["bills"])

    assert bills in _services(client)
    assert bills in _menu_hrefs(client, reverse("portal:home"))
    assert bills in _menu_hrefs(client, reverse("portal:permits:certificate_list"))
    assert client.get(bills).status_code == 200


def test_portal_home_offers_a_move_out_only_while_occupying_and_none_open(client_for, tenant_a_admin, tenant_a, desk):
    client = client_for(tenant_a_admin)
    move_out = reverse("portal:tenants:moveout_new")
    assert move_out in _services(client)  # tenant A occupies unit A

    factories.make_moveout(tenant_a, desk)
    assert move_out not in _services(client)


def test_portal_home_offers_no_move_out_without_a_unit(client_for, tenant_b_admin, tenant_b):
    tenant_b.occupancies.update(end=timezone.localdate())  # ended today
    assert reverse("portal:tenants:moveout_new") not in _services(client_for(tenant_b_admin))


def test_desk_home_search_comes_from_the_registry(client_for, guard):
    html = client_for(guard).get(reverse("desk:home")).content.decode()
    assert f'action="{reverse("desk:tenants:tenant_list")}"' in html


# --- the layer rule in templates -----------------------------------------------------------------

DOMAIN_APPS = ("tenants", "billing", "permits")


def _names(*apps: str) -> set[str]:
    """URL names of the apps (``desk:billing:bill_list``), from the resolver."""
    return {name for name in named_urls(("desk", "portal")) if name.split(":")[1] in apps}


def test_kernel_templates_name_no_domain_url():
    domain = _names(*DOMAIN_APPS)
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for name in re.findall(r"""\{%\s*url\s+['"]((?:desk|portal):[\w:]+)['"]""", text):
            if name in domain:
                found.append(f"{path.relative_to(ROOT)}: {name}")
        for key in re.findall(r"\bnav\.((?:desk|portal)_\w+)", text):
            if key not in {"desk_home", "portal_home"}:
                found.append(f"{path.relative_to(ROOT)}: nav.{key}")
    assert found == []


def test_tenants_templates_name_no_billing_or_permits_url():
    higher = _names("billing", "permits")
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "tenants").rglob("*.html")
        for name in re.findall(r"""['"]((?:desk|portal):[\w:]+)['"]""", path.read_text())
        if name in higher
    ]
    assert found == []


# --- figures and the management log ---------------------------------------------------------------


def test_management_log_lists_only_declared_events():
    labels._collect()
    declared = set(labels._actions)
    assert navigation.log_events(), "apps register their management log events"
    for section in navigation.log_events():
        for code in section.codes:
            if code.endswith("."):
                assert any(d.startswith(code) for d in declared), f"{section.app}: no event starts with {code}"
            else:
                assert code in declared, f"{section.app}: {code} is not a declared event"


def test_management_log_section_of_an_event():
    assert navigation.log_section("certificate.approved").app == "permits"
    assert navigation.log_section("payment.received").app == "billing"
    assert navigation.log_section("certificate.checked") is None


@pytest.mark.django_db
def test_dashboard_figures_are_numbers_or_series(tenant_a):
    names = {f.name for f in navigation.figures()}
    assert {"occupancy_rate", "overdue_bills", "certificates_waiting"} <= names
    for figure in navigation.figures():
        value = figure.compute()
        # A number (money as Decimal), or a series of (label, value) pairs.
        assert isinstance(value, int | float | Decimal) or all(len(pair) == 2 for pair in value), figure.name
    assert navigation.figure("occupancy_rate").compute() > 0


def test_menu_items_write_groups_as_dropdowns_and_escape_labels():
    from django.template import Context, Template

    menu = [
        navigation.Link(label="首页 <b>", url="/desk/?a=1&b=2", icon="house"),
        navigation.MenuGroup(label="二次装修", links=[navigation.Link(label="装修登记", url="/desk/renovations/")]),
    ]
    html = Template("{% menu_items items %}").render(Context({"items": menu}))
    assert html == (
        '<li class="nav-item"><a class="nav-link" href="/desk/?a=1&amp;b=2">'
        '<i class="bi bi-house" aria-hidden="true"></i> 首页 &lt;b&gt;</a></li>'
        '<li class="nav-item dropdown"><a class="nav-link dropdown-toggle" href="#" role="button" '
        'data-bs-toggle="dropdown" aria-expanded="false">二次装修</a><ul class="dropdown-menu">'
        '<li><a class="dropdown-item" href="/desk/renovations/">装修登记</a></li></ul></li>'
    )
