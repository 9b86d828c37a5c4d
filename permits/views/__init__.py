"""One module per permit or pass; ``permits.urls`` reaches every view through this package."""

from .access_pass import (
    AccessPassDetailView,
    AccessPassIssueView,
    AccessPassListView,
    AccessPassReissueView,
    PortalAccessPassDetailView,
    PortalAccessPassImportView,
    PortalAccessPassListView,
    PortalAccessPassRequestView,
    PortalAccessPassTemplateView,
    _DeskCardFormView,
)
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
from .release_note import (
    DeskReleaseNoteCreateView,
    PortalReleaseNoteApplyView,
    PortalReleaseNoteCorrectView,
    PortalReleaseNoteDetailView,
    PortalReleaseNoteListView,
    PortalReleaseNotePdfView,
    ReleaseNoteDetailView,
    ReleaseNoteListView,
    ReleaseNotePdfView,
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
    "AccessPassDetailView",
    "AccessPassIssueView",
    "AccessPassListView",
    "AccessPassReissueView",
    "CertificateDetailView",
    "CertificateListView",
    "CertificatePdfView",
    "DeskReleaseNoteCreateView",
    "PortalAccessPassDetailView",
    "PortalAccessPassImportView",
    "PortalAccessPassListView",
    "PortalAccessPassRequestView",
    "PortalAccessPassTemplateView",
    "PortalCertificateCorrectView",
    "PortalCertificateDetailView",
    "PortalCertificateListView",
    "PortalCertificatePdfView",
    "PortalCertificateRequestView",
    "PortalReleaseNoteApplyView",
    "PortalReleaseNoteCorrectView",
    "PortalReleaseNoteDetailView",
    "PortalReleaseNoteListView",
    "PortalReleaseNotePdfView",
    "PortalWorkerPassDetailView",
    "PortalWorkerPassListView",
    "ReleaseNoteDetailView",
    "ReleaseNoteListView",
    "ReleaseNotePdfView",
    "RenovationBadgesView",
    "RenovationPassesView",
    "WorkerPassBadgeView",
    "WorkerPassDetailView",
    "WorkerPassIssueView",
    "WorkerPassListView",
    "_DeskCardFormView",
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

# --- 临时用电 temporary power (issue 10) ------------------------------------------------------------
from .temporary_power import (  # noqa: E402
    PortalPowerCorrectView,
    PortalPowerDetailView,
    PortalPowerListView,
    PortalPowerNewView,
    PortalPowerPdfView,
    PowerDetailView,
    PowerListView,
    PowerNewView,
    PowerPdfView,
)

__all__ += [
    "PortalPowerCorrectView",
    "PortalPowerDetailView",
    "PortalPowerListView",
    "PortalPowerNewView",
    "PortalPowerPdfView",
    "PowerDetailView",
    "PowerListView",
    "PowerNewView",
    "PowerPdfView",
]

# --- 动火作业 hot-work permits ---------------------------------------------------------------------
from .hot_work import (  # noqa: E402
    DeskHotWorkNewView,
    HotWorkDetailView,
    HotWorkListView,
    HotWorkPdfView,
    HotWorkSiteView,
    PortalHotWorkCorrectView,
    PortalHotWorkDetailView,
    PortalHotWorkListView,
    PortalHotWorkNewView,
    PortalHotWorkPdfView,
    SecurityBoardView,
)

__all__ += [
    "DeskHotWorkNewView",
    "HotWorkDetailView",
    "HotWorkListView",
    "HotWorkPdfView",
    "HotWorkSiteView",
    "PortalHotWorkCorrectView",
    "PortalHotWorkDetailView",
    "PortalHotWorkListView",
    "PortalHotWorkNewView",
    "PortalHotWorkPdfView",
    "SecurityBoardView",
]

# --- 专用货梯 freight-elevator slots (issue 10) ---------------------------------------------------
from .elevator import (  # noqa: E402
    DeskElevatorBookView,
    ElevatorBookingDetailView,
    ElevatorBookingListView,
    ElevatorCalendarView,
    PortalElevatorBookingDetailView,
    PortalElevatorBookView,
    PortalElevatorCalendarView,
    PortalElevatorListView,
)

__all__ += [
    "DeskElevatorBookView",
    "ElevatorBookingDetailView",
    "ElevatorBookingListView",
    "ElevatorCalendarView",
    "PortalElevatorBookView",
    "PortalElevatorBookingDetailView",
    "PortalElevatorCalendarView",
    "PortalElevatorListView",
]
