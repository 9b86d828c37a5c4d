"""Panels on the desk home page. Domain apps register what waits for the desk."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    title: Any
    count: int
    url: str
    style: str = "primary"


_providers: list[Callable[[Any], list[Panel]]] = []


def register(provider: Callable[[Any], list[Panel]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user: Any) -> list[Panel]:
    return [panel for provider in _providers for panel in provider(user)]
