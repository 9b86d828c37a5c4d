"""What the apps add to the kernel's pages, in one place.

Each app registers here in its ``AppConfig.ready()``; kernel templates and the tenants' portal
home name no app's URL, so adding an app edits no kernel template (DESIGN.md "Navigation and
panels"):

- desk menu entries (``register_desk``) and portal menu entries (``register_portal``),
- portal home quick links (``register_quick_link``) and desk home searches (``register_search``),
- desk home panels (``register_panel``) and tenant page panels (``register_related``),
- dashboard figures (``register_figure``) and each procedure's deadlines as its open and overdue
  work (``register_work``) for the supervisor dashboard,
- the events that belong in the building's daily management log (``register_log_events``).

Menu entries take their roles (desk) or ``admin_only`` and ``grant_area`` (portal) from the view
their URL resolves to, unless given: an entry is shown exactly to those who may open its page.
URL names are reversed once per process (``menu_urls``), never per request.

"""

import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import STAFF_ROLES, Role

# --------------------------------------------------------------------------- menus


@dataclass(frozen=True)
class Group:
    """A dropdown of the desk menu; entries of one group share it, ordered by ``order``."""

    key: str
    label: Any
    order: int


FRONT_DESK = Group("front_desk", _("Front desk"), 10)
TENANT_SERVICES = Group("tenant_services", _("Tenant services"), 20)
BILLING = Group("billing", _("Billing"), 50)
SUPERVISION = Group("supervision", _("Supervision"), 80)


@dataclass(frozen=True)
class DeskEntry:
    label: Any
    url_name: str
    group: Group | None = None  # None: a link of its own on the bar
    # Who sees it; None: the ``roles`` of the page's view (StaffRequiredMixin), so the menu
    # never offers a page that answers 403.
    roles: Collection[Role] | None = None
    icon: str = ""  # Bootstrap icon name without ``bi-``
    order: int = 100
    end: bool = False  # on the right, beside the user menu
    when: Callable[[Any], bool] | None = None  # a further check on the user (e.g. is_staff)

    def shown_to(self, user: Any) -> bool:
        return _may_open(user, self.url_name, self.roles) and (self.when is None or self.when(user))


@dataclass(frozen=True)
class PortalEntry:
    label: Any
    url_name: str
    icon: str = ""
    # Only the company's portal admins; None: the page view's ``admin_only``.
    admin_only: bool | None = None
    order: int = 100
    end: bool = False
    # The portal area a company admin opens to staff (tenants.grants: "bills" ...); None: the
    # page view's ``grant_area``; "": none, every member.
    area: str | None = None

    @property
    def for_admins(self) -> bool:
        if self.admin_only is not None:
            return self.admin_only
        return bool(_view_attr(self.url_name, "admin_only", False))

    @property
    def grant_area(self) -> str:
        if self.area is not None:
            return self.area
        return _view_attr(self.url_name, "grant_area", "") or ""

    def shown_to(self, is_admin: bool, areas: Collection[str] | None) -> bool:
        """``areas``: the portal areas the member may open (all of them for an admin); None
        where the page does not know the member (no check)."""
        if self.for_admins and not is_admin:
            return False
        return areas is None or not self.grant_area or self.grant_area in areas


@dataclass(frozen=True)
class QuickLink(PortalEntry):
    """A link in the "Services" card of the tenant's portal home."""

    # ``condition(tenant, user)``: e.g. a move-out only while the company occupies a unit.
    condition: Callable[[Any, Any], bool] | None = None


@dataclass(frozen=True)
class Search:
    """A search box on the desk home (GET ``q`` to the register at ``url_name``)."""

    label: Any
    url_name: str
    placeholder: Any = ""
    help: Any = ""
    roles: Collection[Role] | None = None  # None: the page view's ``roles``
    order: int = 100

    def shown_to(self, user: Any) -> bool:
        return _may_open(user, self.url_name, self.roles)


@dataclass(frozen=True)
class Link:
    """An entry as a template shows it: URL reversed, label still lazy (the reader's language)."""

    label: Any
    url: str
    icon: str = ""
    help: Any = ""
    placeholder: Any = ""
    # A menu template asks each entry for ``links``: a class attribute, so a Link answers
    # without the template engine's failed lookup (three exceptions per entry and request).
    links = ()


@dataclass
class MenuGroup:
    label: Any
    links: list[Link] = field(default_factory=list)


@dataclass
class Menu:
    items: list[Link | MenuGroup]  # a MenuGroup has ``links``; a Link does not
    end: list[Link]


_desk: list[DeskEntry] = []
_portal: list[PortalEntry] = []
_quick_links: list[QuickLink] = []
_searches: list[Search] = []


def _add(registry: list, entry: Any) -> None:
    # ready() may run twice (tests that reload apps): the same entry is kept once.
    if entry not in registry:
        registry.append(entry)
        registry.sort(key=lambda e: e.order)


def register_desk(*entries: DeskEntry) -> None:
    for entry in entries:
        _add(_desk, entry)


def register_portal(*entries: PortalEntry) -> None:
    for entry in entries:
        _add(_portal, entry)


def register_quick_link(*links: QuickLink) -> None:
    for link in links:
        _add(_quick_links, link)


def register_search(*searches: Search) -> None:
    for search in searches:
        _add(_searches, search)


def desk_entries() -> list[DeskEntry]:
    return list(_desk)


def portal_entries() -> list[PortalEntry]:
    return list(_portal)


# Kernel links the base templates use by key (``nav.desk_home``), beside the registered ones.
KERNEL_URL_NAMES = (
    "desk:home",
    "portal:home",
    "accounts:notification_settings",
    "accounts:password_change",
    "accounts:logout",
    "set_language",
)


@functools.cache
def menu_urls(script_prefix: str) -> dict[str, str]:
    """Every URL the menus show, reversed once per process and script prefix: every page shows
    them and ``{% url %}`` costs ~0.1 ms each, more than a small query. Keys are URL names;
    kernel names also as ``desk_home`` for templates."""
    names = {*KERNEL_URL_NAMES, *(e.url_name for e in (*_desk, *_portal, *_quick_links, *_searches))}
    urls = {name: reverse(name) for name in names}
    urls.update({name.replace(":", "_"): urls[name] for name in KERNEL_URL_NAMES})
    return urls


@functools.cache
def _view_attr(url_name: str, attr: str, default: Any) -> Any:
    """An attribute of the class-based view a URL name resolves to, looked up once."""
    view_class = getattr(resolve(reverse(url_name)).func, "view_class", None)
    return getattr(view_class, attr, default)


def _may_open(user: Any, url_name: str, roles: Collection[Role] | None) -> bool:
    """The given roles, or else those of the page's view (StaffRequiredMixin.roles)."""
    return user.has_role(*(roles if roles is not None else _view_attr(url_name, "roles", STAFF_ROLES)))


def _link(entry: Any, urls: dict[str, str]) -> Link:
    return Link(
        entry.label,
        urls[entry.url_name],
        getattr(entry, "icon", ""),
        getattr(entry, "help", ""),
        getattr(entry, "placeholder", ""),
    )


def desk_menu(user: Any, urls: dict[str, str]) -> Menu:
    """The desk bar for ``user``: the entries whose pages they may open, grouped."""
    items: list[Link | MenuGroup] = []
    groups: dict[str, MenuGroup] = {}
    order: dict[int, int] = {}  # id(item) -> position on the bar
    end = []
    for entry in _desk:
        if not entry.shown_to(user):
            continue
        if entry.end:
            end.append(_link(entry, urls))
        elif entry.group is None:
            items.append(_link(entry, urls))
            order[id(items[-1])] = entry.order
        else:
            if entry.group.key not in groups:
                groups[entry.group.key] = MenuGroup(entry.group.label)
                items.append(groups[entry.group.key])
                order[id(items[-1])] = entry.group.order
            groups[entry.group.key].links.append(_link(entry, urls))
    items.sort(key=lambda item: order[id(item)])
    return Menu(items=items, end=end)


def portal_menu(is_admin: bool, areas: Collection[str] | None, urls: dict[str, str]) -> Menu:
    """The portal bar; ``admin_only`` entries for the company's portal admins, an area's
    entries for those it is open to (``PortalEntry.shown_to``)."""
    shown = [e for e in _portal if e.shown_to(is_admin, areas)]
    return Menu(
        items=[_link(e, urls) for e in shown if not e.end],
        end=[_link(e, urls) for e in shown if e.end],
    )


def quick_links_for(
    tenant: Any, user: Any, *, is_admin: bool, areas: Collection[str] | None, urls: dict[str, str]
) -> list[Link]:
    return [
        _link(q, urls)
        for q in _quick_links
        if q.shown_to(is_admin, areas) and (q.condition is None or q.condition(tenant, user))
    ]


def searches_for(user: Any, urls: dict[str, str]) -> list[Link]:
    return [_link(s, urls) for s in _searches if s.shown_to(user)]


# --------------------------------------------------------------------------- desk home panels


@dataclass(frozen=True)
class Panel:
    title: Any
    count: int
    url: str
    style: str = "primary"


_panels: list[Callable[[Any], list[Panel]]] = []


def register_panel(provider: Callable[[Any], list[Panel]]) -> None:
    """``provider(user)`` returns the panels the user sees (none for a role it does not serve)."""
    if provider not in _panels:
        _panels.append(provider)


def panels_for(user: Any) -> list[Panel]:
    return [panel for provider in _panels for panel in provider(user)]


# --------------------------------------------------------------------------- tenant page panels


@dataclass(frozen=True)
class RelatedRow:
    label: str
    url: str
    status: str
    when: Any = None


@dataclass(frozen=True)
class RelatedPanel:
    title: Any
    rows: list[RelatedRow]
    list_url: str = ""


_related: dict[Callable[[Any], RelatedPanel], Collection[Role]] = {}


def register_related(provider: Callable[[Any], RelatedPanel], *, roles: Collection[Role] = STAFF_ROLES) -> None:
    """A panel on the desk's tenant page, ``provider(tenant)``. ``roles``: who may see it; the
    same roles as the pages it links to, so a panel never shows what its list would refuse
    (amounts to a guard)."""
    _related[provider] = roles


def related_panels(tenant: Any, user: Any) -> list[RelatedPanel]:
    return [provider(tenant) for provider, roles in _related.items() if user.has_role(*roles)]


# --------------------------------------------------------------------------- dashboard figures


@dataclass(frozen=True)
class Figure:
    """A figure of the supervisor dashboard (frontdesk's dashboard and its monthly report).

    ``compute()`` returns the figure now: a number, or a series as a list of ``(label, value)``
    pairs. ``month(start, end)`` (optional) returns it over one calendar month ``[start, end)``
    (two dates, the month's first day and the next month's), for "this month against last";
    a figure that is a state rather than a flow (occupancy) has none. Both aggregate in the
    database with a fixed number of queries, and are computed on every view, never cached
    (DESIGN.md). ``url`` is the URL name of the register behind the figure (reversed without
    arguments) and ``query`` its filter, so every figure on the dashboard links to its rows.
    """

    name: str
    label: Any
    compute: Callable[[], Any]
    order: int = 100
    url: str = ""
    query: str = ""
    month: Callable[[Any, Any], Any] | None = None
    # How the dashboard writes it: "" a count, "%" a rate (0-100), "money" CNY, "area" m².
    unit: str = ""
    # The dashboard's section heading it goes under (e.g. _("Billing")); "" the general figures.
    section: Any = ""
    # ``trend(month)`` (optional): the figure over the twelve months ending with ``month`` (its
    # first day), oldest first, as ``(month's first day, value)`` pairs, in one query: the
    # dashboard draws it as a line. Only where one query gives every month (cheap).
    trend: Callable[[Any], list[tuple[Any, Any]]] | None = None


_figures: dict[str, Figure] = {}


def register_figure(*figures: Figure) -> None:
    for figure in figures:
        _figures[figure.name] = figure


def figures() -> list[Figure]:
    return sorted(_figures.values(), key=lambda f: f.order)


def figure(name: str) -> Figure:
    return _figures[name]


@dataclass(frozen=True)
class Work:
    """A procedure's records whose running deadlines are its open work on the supervisor
    dashboard, and whose running deadlines past their due time its overdue work (the kernel's
    Deadline rows, counted per model in one query). On-time rates come from the same rows'
    ``met``. ``url``/``overdue_query``: the register and its filter of the late ones."""

    model: type
    label: Any
    url: str
    overdue_query: str = ""
    order: int = 100


_work: dict[str, Work] = {}


def register_work(*entries: Work) -> None:
    for entry in entries:
        _work[entry.model._meta.label_lower] = entry


def work() -> list[Work]:
    return sorted(_work.values(), key=lambda w: w.order)


# --------------------------------------------------------------------------- management log


@dataclass(frozen=True)
class LogEvents:
    """Audit action codes of one app that belong in the building's daily management log.
    A code ending in ``.`` is a prefix (``certificate.``: every certificate event)."""

    app: str
    label: Any  # the log's section heading
    codes: tuple[str, ...]

    def matches(self, action: str) -> bool:
        return any(action.startswith(c) if c.endswith(".") else action == c for c in self.codes)


_log_events: dict[str, LogEvents] = {}


def register_log_events(app: str, *, label: Any, codes: Iterable[str]) -> None:
    _log_events[app] = LogEvents(app, label, tuple(codes))


def log_events() -> list[LogEvents]:
    return list(_log_events.values())


def log_section(action: str) -> LogEvents | None:
    """The management log section an audit action belongs to, or None: not in the log."""
    return next((e for e in _log_events.values() if e.matches(action)), None)
