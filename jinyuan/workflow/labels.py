"""Human labels for audit action codes and states.

Events store stable codes ``<record>.<past participle>`` (``certificate.approved``,
``movein.agreement_signed``); the timeline shows the label in the reader's language.

The labels come from where the events are declared, collected from the models on first use:
a model with an ``audit_prefix`` contributes

- its transitions' ``custom={"event": "approved", "event_label": _("Approved and issued")}``,
- its other events from the class attribute ``event_labels = {"opened": _("Move-in opened")}``,
- its state labels from the ``status`` field's choices.

Records that are not models of a domain app (user accounts, admin edits) use ``register``.
"""

from typing import Any

_actions: dict[str, Any] = {}
_states: dict[str, dict[str, Any]] = {}
_collected = False


def register(prefix: str, *, actions: dict[str, Any], states: Any = ()) -> None:
    for code, label in actions.items():
        _actions[f"{prefix}.{code}"] = label
    if states:
        _states[prefix] = dict(states)


def register_model(model: type) -> None:
    """Register the events and states a model declares (see the module docstring)."""
    prefix = getattr(model, "audit_prefix", "")
    if not prefix:
        return
    actions = dict(getattr(model, "event_labels", {}))
    status = next((f for f in model._meta.fields if f.name == "status"), None)
    if status is not None:
        for method in getattr(status, "transitions", {}).get(model, {}).values():
            for t in method._django_fsm.transitions.values():
                custom = t.custom or {}
                if custom.get("event"):
                    actions[custom["event"]] = custom.get("event_label", custom.get("label", t.name))
    register(prefix, actions=actions, states=status.choices if status is not None and status.choices else ())


def _collect() -> None:
    global _collected
    if _collected:
        return
    from django.apps import apps

    for model in apps.get_models():
        register_model(model)
    _collected = True


# Actions the kernel writes on any record (``repair.attachment_added``), labelled by the part
# after the record's prefix.
_any_record: dict[str, Any] = {}


def register_any(actions: dict[str, Any]) -> None:
    _any_record.update(actions)


def action_label(code: str) -> str:
    _collect()
    label = _actions.get(code) or _any_record.get(code.rsplit(".", 1)[-1], code)
    return str(label)


def state_label(code: str, state: str) -> str:
    _collect()
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
