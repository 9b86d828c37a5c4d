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


# Actions the kernel writes on any record (``repair.attachment_added``), labelled by the part
# after the record's prefix.
_any_record: dict[str, Any] = {}


def register_any(actions: dict[str, Any]) -> None:
    _any_record.update(actions)


def action_label(code: str) -> str:
    label = _actions.get(code) or _any_record.get(code.rsplit(".", 1)[-1], code)
    return str(label)


def state_label(code: str, state: str) -> str:
    prefix = code.split(".", 1)[0]
    return str(_states.get(prefix, {}).get(state, state))


# Event data shown on the timeline: key -> (label, formatter). Keys not registered (internal
# ids) stay out of sight.
_data: dict[str, tuple[Any, Any]] = {}


def register_data(fields: dict[str, Any]) -> None:
    """``{"unit": _("Unit")}`` or ``{"method": (_("Method"), lambda code: ...)}``."""
    for key, spec in fields.items():
        _data[key] = spec if isinstance(spec, tuple) else (spec, None)


def details(data: dict) -> list[tuple[str, str]]:
    shown = []
    for key, value in (data or {}).items():
        if key not in _data or value in (None, "", []):
            continue
        label, formatter = _data[key]
        if formatter is not None:
            value = formatter(value)
        elif isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        shown.append((str(label), str(value)))
    return shown
