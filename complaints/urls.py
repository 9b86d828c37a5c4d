"""Complaint URLs (namespaces ``desk:complaints:`` and ``portal:complaints:``): the complaint
pages, and the monthly service statistics of repairs and complaints."""

from django.urls import path

desk_patterns: list = []
portal_patterns: list = []

# --- complaints: register, intake, detail with the reply workflow (complaints/views/desk.py, portal.py)

from .views import desk as desk_views  # noqa: E402 (each section imports its views)
from .views import portal as portal_views  # noqa: E402

desk_patterns += [
    path("complaints/", desk_views.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/new/", desk_views.ComplaintNewView.as_view(), name="complaint_new"),
    path("complaints/new/tenants/", desk_views.TenantLookupView.as_view(), name="tenant_lookup"),
    path("complaints/<int:pk>/", desk_views.ComplaintDetailView.as_view(), name="complaint_detail"),
]
portal_patterns += [
    path("complaints/", portal_views.PortalComplaintListView.as_view(), name="complaint_list"),
    path("complaints/new/", portal_views.PortalComplaintNewView.as_view(), name="complaint_new"),
    path("complaints/<int:pk>/", portal_views.PortalComplaintDetailView.as_view(), name="complaint_detail"),
]

# --- monthly service statistics (complaints/views/statistics.py) ---------------------------------

from .views import statistics as stats  # noqa: E402

desk_patterns += [
    path("complaints/statistics/", stats.StatisticsView.as_view(), name="statistics"),
    path("complaints/statistics/export/", stats.StatisticsExportView.as_view(), name="statistics_export"),
    path("complaints/statistics/reports/<int:pk>/pdf/", stats.ReportPdfView.as_view(), name="statistics_pdf"),
    path("complaints/statistics/reports/<int:pk>/sign/", stats.ReportSignView.as_view(), name="statistics_sign"),
]
