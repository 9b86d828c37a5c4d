"""Complaint URLs (namespaces ``desk:complaints:`` and ``portal:complaints:``): the complaint
pages, and the monthly service statistics of repairs and complaints."""

from django.urls import path  # noqa: F401 (the sections below add their patterns)

desk_patterns: list = []
portal_patterns: list = []

# --- complaints: register, intake, detail with the reply workflow (complaints/views/desk.py, portal.py)

# --- monthly service statistics (complaints/views/statistics.py) ---------------------------------
