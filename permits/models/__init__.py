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

# 专用货梯 freight-elevator slots (issue 10)
from .elevator import ELEVATOR_AREA, ElevatorBooking, FreightElevator

__all__ += ["ELEVATOR_AREA", "ElevatorBooking", "FreightElevator"]
