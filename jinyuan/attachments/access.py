"""Who may see a record's attachments: the record's app decides, the kernel only asks.

Each app registers ``can_view(user, record) -> bool`` for its models in AppConfig.ready()
(the kernel knows no domain app). A model nobody registered is denied to everyone.
"""

from collections.abc import Callable
from typing import Any

from django.db import models

Rule = Callable[[Any, Any], bool]

_rules: dict[type[models.Model], Rule] = {}


def register(model: type[models.Model], can_view: Rule) -> None:
    _rules[model] = can_view


def can_view(user: Any, record: Any) -> bool:
    if record is None or not getattr(user, "is_authenticated", False):
        return False
    rule = _rules.get(type(record)._meta.concrete_model)
    return bool(rule and rule(user, record))
