"""Writes of the tenants app. Import from here; the modules split it by subject."""

from .archive import archive_upload
from .lifecycle import (
    movein_cancel,
    movein_confirm,
    movein_open,
    movein_record_agreement,
    movein_record_handover,
    movein_record_inspection,
    movein_skip_signboard,
    moveout_complete,
    moveout_open,
    moveout_record_inspection,
    moveout_record_return,
    portal_access_close_due,
    signboard_approve,
    signboard_install,
    signboard_order,
)
from .notifications import notify_tenant, notify_tenants
from .premises import (
    OccupancyConflict,
    contact_add,
    member_add,
    member_set_areas,
    occupancy_end,
    occupancy_start,
    tenant_create,
    tenant_register,
    tenant_update,
)
from .readiness import movein_note_readiness_of

__all__ = [
    "OccupancyConflict",
    "archive_upload",
    "contact_add",
    "member_add",
    "member_set_areas",
    "movein_cancel",
    "movein_confirm",
    "movein_note_readiness_of",
    "movein_open",
    "movein_record_agreement",
    "movein_record_handover",
    "movein_record_inspection",
    "movein_skip_signboard",
    "moveout_complete",
    "moveout_open",
    "moveout_record_inspection",
    "moveout_record_return",
    "notify_tenant",
    "notify_tenants",
    "occupancy_end",
    "occupancy_start",
    "portal_access_close_due",
    "signboard_approve",
    "signboard_install",
    "signboard_order",
    "tenant_create",
    "tenant_register",
    "tenant_update",
]
