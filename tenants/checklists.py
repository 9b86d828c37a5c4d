"""Checklists of move-in and move-out. Each item says whether it is done for a given process;
tenants registers its own items, higher apps (billing, permits, renovation) register theirs in
their AppConfig.ready(), and the move-in/move-out code never names them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MOVE_IN = "move_in"
MOVE_OUT = "move_out"


@dataclass(frozen=True)
class ItemState:
    done: bool
    detail: str = ""
    # Where the item is worked on, when it is another app's page (e.g. billing's charges).
    action_url: str = ""
    action_label: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: Any
    order: int
    state: Callable[[Any], ItemState]
    required: bool = True
    # The inline form on the process page that completes this item, if tenants renders one.
    form_step: str = ""


@dataclass(frozen=True)
class Row:
    item: ChecklistItem
    state: ItemState


_items: dict[str, dict[str, ChecklistItem]] = {MOVE_IN: {}, MOVE_OUT: {}}


def register(process: str, item: ChecklistItem) -> None:
    _items[process][item.code] = item


def items(process: str) -> list[ChecklistItem]:
    return sorted(_items[process].values(), key=lambda i: (i.order, i.code))


def evaluate(process: str, obj: Any) -> list[Row]:
    return [Row(item, item.state(obj)) for item in items(process)]


def missing(rows: list[Row]) -> list[ChecklistItem]:
    return [r.item for r in rows if r.item.required and not r.state.done]


@dataclass
class Progress:
    rows: list[Row] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.state.done)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> bool:
        return not missing(self.rows)
