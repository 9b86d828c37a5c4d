"""Repair URLs (namespaces ``desk:repairs:`` and ``portal:repairs:``). Each part appends its own
block, so the parts of issue 11 stay apart."""

desk_patterns: list = []
portal_patterns: list = []

# --- feedback part: sign-off and ratings ---------------------------------------------------------
from django.urls import path  # noqa: E402

from .views import feedback as feedback_views  # noqa: E402

desk_patterns += [
    path("repairs/<int:pk>/sign-off/", feedback_views.DeskSignOffView.as_view(), name="sign_off"),
]
portal_patterns += [
    path("repairs/<int:pk>/sign-off/", feedback_views.PortalSignOffView.as_view(), name="sign_off"),
]
