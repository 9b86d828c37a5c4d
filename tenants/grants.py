"""Portal areas a tenant admin opens to staff one by one (bills, archive, later passes ...).

A company's admins open every area; a staff member opens those the admin ticked for them
(``Membership.areas``). Areas are declared here by the app that owns them, in its
``AppConfig.ready()``, so a later app adds its own without touching tenants.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ARCHIVE = "archive"


@dataclass(frozen=True)
class Area:
    code: str
    label: str | Promise


_AREAS: dict[str, Area] = {}


def register_area(code: str, label: str | Promise) -> None:
    """Declare a portal area (idempotent: ``ready()`` may run twice in tests)."""
    _AREAS[code] = Area(code, label)


def areas() -> list[Area]:
    return list(_AREAS.values())


def is_area(code: str) -> bool:
    return code in _AREAS


def may_open(membership: Any, area: str) -> bool:
    """Whether this portal user may open the area: admins always, staff with the grant."""
    if membership is None:
        return False
    return membership.is_admin or area in (membership.areas or ())


def member_may_open(user: Any, tenant_id: int | None, area: str) -> bool:
    """Whether ``user`` is a portal member of company ``tenant_id`` who may open ``area`` (its
    admins always, its staff with the grant). The one check behind every procedure's "the
    company's own people" permission."""
    from .selectors import membership_for

    if not (tenant_id and user and user.is_authenticated):
        return False
    membership = membership_for(user)
    return membership is not None and membership.tenant_id == tenant_id and may_open(membership, area)


def open_areas(membership: Any) -> set[str]:
    return {a.code for a in areas() if may_open(membership, a.code)}


register_area(ARCHIVE, _("Documents on file"))
