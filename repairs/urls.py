"""Repair URLs (namespaces ``desk:repairs:`` and ``portal:repairs:``): the pages of tickets,
quotes and sign-offs."""

from django.urls import path

from .views import desk, engineer, portal
from .views import feedback as feedback_views
from .views import quotes as quote_views

desk_patterns: list = []
portal_patterns: list = []

# --- desk, engineer and portal pages -------------------------------------------------------------

desk_patterns += [
    path("repairs/", desk.TicketListView.as_view(), name="ticket_list"),
    path("repairs/new/", desk.TicketNewView.as_view(), name="ticket_new"),
    path("repairs/new/tenants/", desk.TenantLookupView.as_view(), name="tenant_lookup"),
    path("repairs/<int:pk>/", desk.TicketDetailView.as_view(), name="ticket_detail"),
    path("repairs/mine/", engineer.EngineerWorklistView.as_view(), name="engineer_worklist"),
    path("repairs/mine/<int:pk>/", engineer.EngineerTicketView.as_view(), name="engineer_ticket"),
]
portal_patterns += [
    path("repairs/", portal.PortalTicketListView.as_view(), name="ticket_list"),
    path("repairs/new/", portal.PortalTicketNewView.as_view(), name="ticket_new"),
    path("repairs/<int:pk>/", portal.PortalTicketDetailView.as_view(), name="ticket_detail"),
]

# --- paid repairs: quotes (repairs/views/quotes.py) -------------------------------------------

desk_patterns += [
    path("repairs/<int:pk>/quote/", quote_views.QuoteCreateView.as_view(), name="quote_new"),
    path("repairs/<int:pk>/quote/decide/", quote_views.QuoteDecideView.as_view(), name="quote_decide"),
]
portal_patterns += [
    path("repairs/<int:pk>/quote/", quote_views.PortalQuoteView.as_view(), name="quote"),
]

# --- feedback part: sign-off and ratings ---------------------------------------------------------

desk_patterns += [
    path("repairs/<int:pk>/sign-off/", feedback_views.DeskSignOffView.as_view(), name="sign_off"),
]
portal_patterns += [
    path("repairs/<int:pk>/sign-off/", feedback_views.PortalSignOffView.as_view(), name="sign_off"),
]
