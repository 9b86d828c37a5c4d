"""Role checks for declared transitions (``django_fsm.transition(permission=...)``)."""

from collections.abc import Callable
from typing import Any

from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, Role


def roles(*allowed: Role) -> Callable[[Any, Any], bool]:
    def check(instance: Any, user: Any) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*allowed))

    check.roles = allowed  # type: ignore[attr-defined]
    return check


def applicant_or(*allowed: Role) -> Callable[[Any, Any], bool]:
    """The applicant themself, or staff of the given roles."""

    def check(instance: Any, user: Any) -> bool:
        if not (user and user.is_authenticated):
            return False
        return instance.applicant_id == user.pk or user.has_role(*allowed)

    return check


# The checks transitions declare (``permission=DESK``), built from the role groups in
# jinyuan.accounts.roles.
DESK = roles(*DESK_ROLES)
SUPERVISOR = roles(*SUPERVISOR_ROLES)
