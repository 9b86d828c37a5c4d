"""Front-desk URLs (namespaces ``desk:frontdesk:`` and ``portal:frontdesk:``). Each section adds
its own patterns below, in its own block."""

desk_patterns: list = []
portal_patterns: list = []

# --- liaison visits, follow-up items, emergencies (frontdesk/views/liaison.py, emergencies.py) ------
from django.urls import path  # noqa: E402

from .views import emergencies as emergency_views  # noqa: E402
from .views import liaison as liaison_views  # noqa: E402

desk_patterns += [
    path("frontdesk/items/", liaison_views.ActionItemListView.as_view(), name="action_items"),
    path("frontdesk/items/all/", liaison_views.ActionItemAllView.as_view(), name="action_items_all"),
    path("frontdesk/items/<int:pk>/", liaison_views.ActionItemDetailView.as_view(), name="action_item_detail"),
    path("frontdesk/items/<int:pk>/close/", liaison_views.ActionItemCloseView.as_view(), name="action_item_close"),
    path("frontdesk/visits/", liaison_views.VisitListView.as_view(), name="visit_list"),
    path("frontdesk/visits/new/<int:pk>/", liaison_views.VisitNewView.as_view(), name="visit_new"),
    path("frontdesk/visits/<int:pk>/", liaison_views.VisitDetailView.as_view(), name="visit_detail"),
    path("frontdesk/visit-plans/", liaison_views.VisitPlanListView.as_view(), name="visit_plan_list"),
    path("frontdesk/visit-plans/<int:pk>/", liaison_views.VisitPlanDetailView.as_view(), name="visit_plan_detail"),
    path("frontdesk/emergencies/", emergency_views.EmergencyListView.as_view(), name="emergency_list"),
    path("frontdesk/emergencies/new/", emergency_views.EmergencyNewView.as_view(), name="emergency_new"),
    path("frontdesk/emergencies/<int:pk>/", emergency_views.EmergencyDetailView.as_view(), name="emergency_detail"),
    path(
        "frontdesk/emergencies/<int:pk>/response/",
        emergency_views.EmergencyResponseView.as_view(),
        name="emergency_response",
    ),
    path("frontdesk/emergencies/<int:pk>/item/", emergency_views.EmergencyItemView.as_view(), name="emergency_item"),
    path(
        "frontdesk/emergencies/<int:pk>/ticket/", emergency_views.EmergencyTicketView.as_view(), name="emergency_ticket"
    ),
    path("frontdesk/emergencies/<int:pk>/link/", emergency_views.EmergencyLinkView.as_view(), name="emergency_link"),
]
portal_patterns += [
    path("frontdesk/visits/", liaison_views.PortalVisitListView.as_view(), name="visit_list"),
    path("frontdesk/visits/<int:pk>/", liaison_views.PortalVisitDetailView.as_view(), name="visit_detail"),
]
