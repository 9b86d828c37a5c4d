"""Human labels for audit action codes and states, registered by the domain apps.

Events store stable codes (``certificate.approve``); the timeline shows the label in the
reader's language.
"""

from typing import Any

_actions: dict[str, Any] = {}
_states: dict[str, dict[str, Any]] = {}


def register(prefix: str, *, actions: dict[str, Any], states: Any = ()) -> None:
    for code, label in actions.items():
        _actions[f"{prefix}.{code}"] = label
    _states[prefix] = dict(states)


def action_label(code: str) -> str:
    return str(_actions.get(code, code))


def state_label(code: str, state: str) -> str:
    prefix = code.split(".", 1)[0]
    return str(_states.get(prefix, {}).get(state, state))
