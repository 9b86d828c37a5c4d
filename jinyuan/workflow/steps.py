"""Records with steps: a list of items that each say whether they are done for a record, and
whose required ones must all be done before a transition (``conditions=[steps.complete]``).

Move-in and move-out checklists are built on it (tenants.checklists); renovation inspections
and repair steps are next. Items come from several apps: each registers its own, and the
record's code never names them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StepState:
    done: bool
    detail: str = ""
    # Where the step is worked on, when it is another app's page (e.g. billing's charges).
    action_url: str = ""
    action_label: str = ""


@dataclass(frozen=True)
class Step:
    code: str
    label: Any
    order: int
    state: Callable[[Any], StepState]
    required: bool = True
    # The inline form on the record's page that completes this step, if its app renders one.
    form_step: str = ""


@dataclass(frozen=True)
class Row:
    item: Step
    state: StepState


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
    def missing(self) -> list[Step]:
        return [r.item for r in self.rows if r.item.required and not r.state.done]

    @property
    def complete(self) -> bool:
        return not self.missing


_MEMO = "_steps_evaluated"


def remember_steps(obj: Any) -> Any:
    """Evaluate ``obj``'s steps once for the rest of this request: a page shows the checklist
    and asks the same steps again for its buttons' conditions, and each step may cost queries.
    Only for pages that display; a service that changes a step's state must see it fresh."""
    obj.__dict__[_MEMO] = {}
    return obj


class Steps:
    """The steps of one kind of record, registered by the apps that own them."""

    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def register(self, step: Step) -> None:
        self._steps[step.code] = step

    def items(self) -> list[Step]:
        return sorted(self._steps.values(), key=lambda s: (s.order, s.code))

    def evaluate(self, obj: Any) -> list[Row]:
        memo = obj.__dict__.get(_MEMO)
        if memo is not None and id(self) in memo:
            return memo[id(self)]
        rows = [Row(step, step.state(obj)) for step in self.items()]
        if memo is not None:
            memo[id(self)] = rows
        return rows

    def progress(self, obj: Any) -> Progress:
        return Progress(self.evaluate(obj))

    def complete(self, obj: Any) -> bool:
        """For ``transition(conditions=[...])``: every required step is done."""
        return self.progress(obj).complete
