"""Complaint URLs (namespaces ``desk:complaints:`` and ``portal:complaints:``): the complaint
pages, and the monthly service statistics of repairs and complaints."""

from django.urls import path

desk_patterns: list = []
portal_patterns: list = []

# --- complaints: register, intake, detail with the reply workflow (complaints/views/desk.py, portal.py)

# --- monthly service statistics (complaints/views/statistics.py) ---------------------------------

from .views import statistics as stats  # noqa: E402

desk_patterns += [
    path("complaints/statistics/", stats.StatisticsView.as_view(), name="statistics"),
    path("complaints/statistics/export/", stats.StatisticsExportView.as_view(), name="statistics_export"),
    path("complaints/statistics/reports/<int:pk>/pdf/", stats.ReportPdfView.as_view(), name="statistics_pdf"),
    path("complaints/statistics/reports/<int:pk>/sign/", stats.ReportSignView.as_view(), name="statistics_sign"),
]
