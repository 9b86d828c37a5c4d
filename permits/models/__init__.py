"""One module per permit or pass; every model is importable from ``permits.models``."""

from .certificate import PremisesCertificate, review_deadline, tenant_admin_of
from .worker_pass import ID_NUMBER_CHECKS, ID_NUMBER_WEIGHTS, WorkerPass, id_number_check_char, validate_id_number

__all__ = [
    "ID_NUMBER_CHECKS",
    "ID_NUMBER_WEIGHTS",
    "PremisesCertificate",
    "WorkerPass",
    "id_number_check_char",
    "review_deadline",
    "tenant_admin_of",
    "validate_id_number",
]

# --- 停车证 parking permits ------------------------------------------------------------------------
from .parking import ParkingPermit, ParkingSpace, normalize_plate, validate_plate

__all__ += ["ParkingPermit", "ParkingSpace", "normalize_plate", "validate_plate"]
