"""Hooks for higher apps. Tenants knows no permits or billing: they register here instead
(in their AppConfig.ready) and the tenant page shows what they return."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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


_related: list[Callable[[Any], RelatedPanel]] = []


def register_related(provider: Callable[[Any], RelatedPanel]) -> None:
    if provider not in _related:
        _related.append(provider)


def related_panels(tenant: Any) -> list[RelatedPanel]:
    return [provider(tenant) for provider in _related]
