"""Hooks for higher apps. Tenants knows no permits or billing: they register here instead
(in their AppConfig.ready) and the tenant page shows what they return."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from jinyuan.accounts.roles import STAFF_ROLES, Role


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
    """``roles``: who may see the panel; the same roles as the pages it links to, so a panel
    never shows what its list would refuse (amounts to a guard)."""
    _related[provider] = roles


def related_panels(tenant: Any, user: Any) -> list[RelatedPanel]:
    return [provider(tenant) for provider, roles in _related.items() if user.has_role(*roles)]
