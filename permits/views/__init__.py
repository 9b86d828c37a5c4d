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

# --- access passes 大厦出入证 ---
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
)

__all__ += [
    "AccessPassDetailView",
    "AccessPassIssueView",
    "AccessPassListView",
    "AccessPassReissueView",
    "PortalAccessPassDetailView",
    "PortalAccessPassImportView",
    "PortalAccessPassListView",
    "PortalAccessPassRequestView",
    "PortalAccessPassTemplateView",
]
