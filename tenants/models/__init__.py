from .lifecycle import MoveIn, MoveInUnit, MoveOut, MoveOutUnit, Signboard
from .premises import ArchiveFile, Building, Contact, DateRange, Floor, Membership, Occupancy, Tenant, TenantOwned, Unit

__all__ = [
    "ArchiveFile",
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
