"""One module per permit or pass; every model is importable from ``permits.models``."""

from .access_pass import ACCESS_AREA, AccessPass
from .certificate import PremisesCertificate, review_deadline, tenant_admin_of
from .parking import ParkingPermit, ParkingSpace, normalize_plate, validate_plate
from .release_note import RELEASE_NOTE_AREA, ReleaseNote
from .worker_pass import ID_NUMBER_CHECKS, ID_NUMBER_WEIGHTS, WorkerPass, id_number_check_char, validate_id_number

__all__ = [
    "ACCESS_AREA",
    "ID_NUMBER_CHECKS",
    "ID_NUMBER_WEIGHTS",
    "RELEASE_NOTE_AREA",
    "AccessPass",
    "ParkingPermit",
    "ParkingSpace",
    "PremisesCertificate",
    "ReleaseNote",
    "WorkerPass",
    "id_number_check_char",
    "normalize_plate",
    "review_deadline",
    "tenant_admin_of",
    "validate_id_number",
    "validate_plate",
]

# Issue 10's works permits: 临时用电 temporary power, 动火作业 hot work, 专用货梯 freight-elevator slots.
from .elevator import ELEVATOR_AREA, ElevatorBooking, FreightElevator
from .hot_work import HOT_WORK_AREA, HotWorkPermit
from .temporary_power import POWER_AREA, TemporaryPower

__all__ += [
    "ELEVATOR_AREA",
    "HOT_WORK_AREA",
    "POWER_AREA",
    "ElevatorBooking",
    "FreightElevator",
    "HotWorkPermit",
    "TemporaryPower",
]
