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

# 大件物品放行条 (issue 9: release notes)
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

__all__ += [
    "DeskReleaseNoteCreateView",
    "PortalReleaseNoteApplyView",
    "PortalReleaseNoteCorrectView",
    "PortalReleaseNoteDetailView",
    "PortalReleaseNoteListView",
    "PortalReleaseNotePdfView",
    "ReleaseNoteDetailView",
    "ReleaseNoteListView",
    "ReleaseNotePdfView",
]
