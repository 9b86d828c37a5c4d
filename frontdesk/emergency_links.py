"""Kinds of records an emergency may be linked to (a repair ticket, an announcement ...).

A section that owns such records registers its kind in its ``register()`` (called from
FrontdeskConfig.ready): how the desk finds one by its number, what it is called and where its
page is. ``EmergencyLink`` keeps the link generically (content type and id), so a kind added
later needs no migration.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Linkable:
    key: str  # stored on the link: "repair"
    label: Any  # the kind as the desk reads it (lazy)
    find: Callable[[str], models.Model | None]  # the record with this number, or None
    describe: Callable[[models.Model], str]  # the link's label: "BX-2026-00012 漏水"
    url: Callable[[int], str]  # the record's desk page, from its pk (no query)


_kinds: dict[str, Linkable] = {}


def register_linkable(kind: Linkable) -> None:
    _kinds[kind.key] = kind


def linkable_kinds() -> list[Linkable]:
    return list(_kinds.values())


def linkable(key: str) -> Linkable | None:
    return _kinds.get(key)
