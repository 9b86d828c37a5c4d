from .lifecycle import MoveIn, MoveInUnit, MoveOut, MoveOutUnit, Signboard
from .premises import ArchiveKind, Building, Contact, DateRange, Floor, Membership, Occupancy, Tenant, TenantOwned, Unit

__all__ = [
    "ArchiveKind",
    "Building",
    "Contact",
    "DateRange",
    "Floor",
    "Membership",
    "MoveIn",
    "MoveInUnit",
    "MoveOut",
    "MoveOutUnit",
    "Occupancy",
    "Signboard",
    "Tenant",
    "TenantOwned",
    "Unit",
]
