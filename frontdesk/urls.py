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
]
