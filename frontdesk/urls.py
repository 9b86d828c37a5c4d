"""Front-desk URLs (namespaces ``desk:frontdesk:`` and ``portal:frontdesk:``). Each section adds
its own patterns below, in its own block."""

desk_patterns: list = []
portal_patterns: list = []

# --- duty log and handover; visitor inquiries (frontdesk/views/duty.py, views/inquiries.py) -------
from django.urls import path  # noqa: E402

from .views import duty, inquiries  # noqa: E402

desk_patterns += [
    path("frontdesk/duty/", duty.DutyView.as_view(), name="duty"),
    path("frontdesk/duty/entries/", duty.EntryListView.as_view(), name="entry_list"),
    path("frontdesk/duty/entries/<int:pk>/close/", duty.EntryCloseView.as_view(), name="entry_close"),
    path("frontdesk/duty/shifts/", duty.ShiftListView.as_view(), name="shift_list"),
    path("frontdesk/duty/shifts/<int:pk>/", duty.ShiftDetailView.as_view(), name="shift_detail"),
    path("frontdesk/duty/shifts/<int:pk>/handover/", duty.ShiftHandoverView.as_view(), name="shift_handover"),
    path("frontdesk/inquiries/lookup/", inquiries.LookupView.as_view(), name="inquiry_lookup"),
    path("frontdesk/inquiries/", inquiries.InquiryListView.as_view(), name="inquiry_list"),
    path("frontdesk/inquiries/new/", inquiries.InquiryNewView.as_view(), name="inquiry_new"),
    path("frontdesk/inquiries/<int:pk>/", inquiries.InquiryDetailView.as_view(), name="inquiry_detail"),
    path("frontdesk/inquiries/<int:pk>/repair/", inquiries.InquiryRepairView.as_view(), name="inquiry_repair"),
    path("frontdesk/inquiries/<int:pk>/complaint/", inquiries.InquiryComplaintView.as_view(), name="inquiry_complaint"),
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
