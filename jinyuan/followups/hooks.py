"""What a record's app does when a follow-up finds the tenant dissatisfied (a complaint
reopens, a repair gets a return visit). Registered in the app's AppConfig.ready(): the kernel
knows no domain app."""

from collections.abc import Callable
from typing import Any

from django.db import models

Hook = Callable[..., None]  # hook(followup=..., by=...)

_on_dissatisfied: dict[type[models.Model], Hook] = {}


def on_dissatisfied(model: type[models.Model], hook: Hook) -> None:
    _on_dissatisfied[model] = hook


def run_dissatisfied(followup: Any, by: Any) -> None:
    hook = _on_dissatisfied.get(type(followup.record)._meta.concrete_model)
    if hook is not None:
        hook(followup=followup, by=by)
