"""Checklists of move-in and move-out, built on the kernel's steps (jinyuan.workflow.steps).
Tenants registers its own items, higher apps (billing, permits, renovation) register theirs in
their AppConfig.ready(), and the move-in/move-out code never names them."""

from typing import Any

from jinyuan.workflow.steps import Progress, Row, Step, Steps, StepState

MOVE_IN = "move_in"
MOVE_OUT = "move_out"

# The names the apps registering items use.
ChecklistItem = Step
ItemState = StepState

CHECKLISTS: dict[str, Steps] = {MOVE_IN: Steps(), MOVE_OUT: Steps()}

__all__ = ["CHECKLISTS", "MOVE_IN", "MOVE_OUT", "ChecklistItem", "ItemState", "Progress", "Row"]


def register(process: str, item: Step) -> None:
    CHECKLISTS[process].register(item)


def evaluate(process: str, obj: Any) -> list[Row]:
    return CHECKLISTS[process].evaluate(obj)
