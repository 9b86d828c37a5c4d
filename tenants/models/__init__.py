from .lifecycle import MoveIn, MoveInUnit, MoveOut, MoveOutUnit, Signboard
from .meters import Meter, MeterKind, MeterReading, ReadingRound
from .premises import ArchiveKind, Building, Contact, DateRange, Floor, Membership, Occupancy, Tenant, TenantOwned, Unit

__all__ = [
    "ArchiveKind",
    "Building",
    "Contact",
    "DateRange",
    "Floor",
    "Membership",
    "Meter",
    "MeterKind",
    "MeterReading",
    "MoveIn",
    "MoveInUnit",
    "MoveOut",
    "MoveOutUnit",
    "Occupancy",
    "ReadingRound",
    "Signboard",
    "Tenant",
    "TenantOwned",
    "Unit",
]
