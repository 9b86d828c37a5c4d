"""Front-desk URLs (namespaces ``desk:frontdesk:`` and ``portal:frontdesk:``). Each section adds
its own patterns below, in its own block."""

desk_patterns: list = []
portal_patterns: list = []

# --- announcements 公告 (frontdesk/views/notices.py) --------------------------------------------
from django.urls import path  # noqa: E402

from .views import notices  # noqa: E402

desk_patterns += [
    path("frontdesk/announcements/", notices.AnnouncementListView.as_view(), name="announcement_list"),
    path("frontdesk/announcements/new/", notices.AnnouncementNewView.as_view(), name="announcement_new"),
    path("frontdesk/announcements/<int:pk>/", notices.AnnouncementDetailView.as_view(), name="announcement_detail"),
    path("frontdesk/announcements/<int:pk>/edit/", notices.AnnouncementEditView.as_view(), name="announcement_edit"),
    path("frontdesk/announcements/<int:pk>/unread/", notices.UnreadListView.as_view(), name="announcement_unread"),
]
portal_patterns += [
    path("announcements/", notices.PortalAnnouncementListView.as_view(), name="announcement_list"),
    path("announcements/<int:pk>/", notices.PortalAnnouncementDetailView.as_view(), name="announcement_detail"),
]
