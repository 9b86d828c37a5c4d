"""One module per permit or pass; ``permits.urls`` reaches every view through this package."""

from .certificate import (
    CertificateDetailView,
    CertificateListView,
    CertificatePdfView,
    PortalCertificateCorrectView,
    PortalCertificateDetailView,
    PortalCertificateListView,
    PortalCertificatePdfView,
    PortalCertificateRequestView,
)
from .worker_pass import (
    PortalWorkerPassDetailView,
    PortalWorkerPassListView,
    RenovationBadgesView,
    RenovationPassesView,
    WorkerPassBadgeView,
    WorkerPassDetailView,
    WorkerPassIssueView,
    WorkerPassListView,
)

__all__ = [
    "CertificateDetailView",
    "CertificateListView",
    "CertificatePdfView",
    "PortalCertificateCorrectView",
    "PortalCertificateDetailView",
    "PortalCertificateListView",
    "PortalCertificatePdfView",
    "PortalCertificateRequestView",
    "PortalWorkerPassDetailView",
    "PortalWorkerPassListView",
    "RenovationBadgesView",
    "RenovationPassesView",
    "WorkerPassBadgeView",
    "WorkerPassDetailView",
    "WorkerPassIssueView",
    "WorkerPassListView",
]

# --- 停车证 parking permits ------------------------------------------------------------------------
from .parking import (
    ParkingDetailView,
    ParkingListView,
    ParkingMoveOutView,
    ParkingNewView,
    ParkingPaperView,
    PlateCheckView,
    PortalParkingDetailView,
    PortalParkingListView,
    PortalParkingNewView,
    PortalParkingPaperView,
)

__all__ += [
    "ParkingDetailView",
    "ParkingListView",
    "ParkingMoveOutView",
    "ParkingNewView",
    "ParkingPaperView",
    "PlateCheckView",
    "PortalParkingDetailView",
    "PortalParkingListView",
    "PortalParkingNewView",
    "PortalParkingPaperView",
]
