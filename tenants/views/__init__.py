from .archive import ArchiveDownloadView, ArchiveUploadView, PortalArchiveDownloadView
from .lifecycle import (
    DirectoryView,
    MoveInCreateView,
    MoveInDetailView,
    MoveInListView,
    MoveOutCreateView,
    MoveOutDetailView,
    MoveOutListView,
    SignboardCreateView,
    SignboardDetailView,
    SignboardListView,
)
from .portal import (
    PortalGrantsView,
    PortalHomeView,
    PortalMoveInView,
    PortalMoveOutCreateView,
    PortalMoveOutView,
    PortalSignboardCreateView,
)
from .premises import BuildingDetailView, BuildingListView, TenantDetailView, TenantListView, UnitListView

__all__ = [
    "ArchiveDownloadView",
    "ArchiveUploadView",
    "BuildingDetailView",
    "BuildingListView",
    "DirectoryView",
    "MoveInCreateView",
    "MoveInDetailView",
    "MoveInListView",
    "MoveOutCreateView",
    "MoveOutDetailView",
    "MoveOutListView",
    "PortalArchiveDownloadView",
    "PortalGrantsView",
    "PortalHomeView",
    "PortalMoveInView",
    "PortalMoveOutCreateView",
    "PortalMoveOutView",
    "PortalSignboardCreateView",
    "SignboardCreateView",
    "SignboardDetailView",
    "SignboardListView",
    "TenantDetailView",
    "TenantListView",
    "UnitListView",
]
