"""Repair URLs (namespaces ``desk:repairs:`` and ``portal:repairs:``). Each part appends its own
block, so the parts of issue 11 stay apart."""

desk_patterns: list = []
portal_patterns: list = []

# --- paid repairs: quotes (repairs/views/quotes.py) -------------------------------------------
from django.urls import path  # noqa: E402

from .views import quotes as quote_views  # noqa: E402

desk_patterns += [
    path("repairs/<int:pk>/quote/", quote_views.QuoteCreateView.as_view(), name="quote_new"),
    path("repairs/<int:pk>/quote/decide/", quote_views.QuoteDecideView.as_view(), name="quote_decide"),
]
portal_patterns += [
    path("repairs/<int:pk>/quote/", quote_views.PortalQuoteView.as_view(), name="quote"),
]
