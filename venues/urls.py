"""Venue URLs (namespaces ``desk:venues:`` and ``portal:venues:``). Two sections, each adding
its own patterns: meeting rooms and the calendar (bookings), then public-space applications
and events."""

from django.urls import path

desk_patterns: list = []
portal_patterns: list = []

# --- meeting rooms, bookings and the desk calendar (venues/views/rooms.py) -------------------------
from .views import rooms  # noqa: E402

desk_patterns += [
    path("venues/calendar/", rooms.DeskCalendarDayView.as_view(), name="calendar"),
    path("venues/bookings/", rooms.DeskBookingListView.as_view(), name="booking_list"),
    path("venues/bookings/<int:pk>/", rooms.DeskBookingDetailView.as_view(), name="booking_detail"),
    path("venues/bookings/<int:pk>/ics/", rooms.DeskBookingIcsView.as_view(), name="booking_ics"),
    path("venues/rooms/", rooms.DeskRoomsView.as_view(), name="rooms"),
    path("venues/rooms/<int:pk>/", rooms.DeskRoomCalendarView.as_view(), name="room_calendar"),
    path("venues/rooms/<int:pk>/feed/", rooms.DeskRoomFeedView.as_view(), name="room_feed"),
    path("venues/rooms/<int:pk>/book/", rooms.DeskRoomBookView.as_view(), name="room_book"),
    path("venues/rooms/<int:pk>/door-label/", rooms.DeskDoorLabelView.as_view(), name="room_door_label"),
]
portal_patterns += [
    path("venues/rooms/", rooms.PortalRoomsView.as_view(), name="rooms"),
    path("venues/rooms/<int:pk>/", rooms.PortalRoomCalendarView.as_view(), name="room_calendar"),
    path("venues/rooms/<int:pk>/feed/", rooms.PortalRoomFeedView.as_view(), name="room_feed"),
    path("venues/rooms/<int:pk>/book/", rooms.PortalRoomBookView.as_view(), name="room_book"),
    path("venues/bookings/", rooms.PortalBookingListView.as_view(), name="booking_list"),
    path("venues/bookings/<int:pk>/", rooms.PortalBookingDetailView.as_view(), name="booking_detail"),
    path("venues/bookings/<int:pk>/ics/", rooms.PortalBookingIcsView.as_view(), name="booking_ics"),
    # The QR at a room's door: the booker's member or the desk checks in (any logged-in user).
    path("venues/door/<str:code>/", rooms.DoorView.as_view(), name="door"),
]

# --- public-space applications and events (venues/views/applications.py) ---------------------------
from .views import applications as app_views  # noqa: E402 (this section's views)

desk_patterns += [
    path("venues/applications/", app_views.ApplicationListView.as_view(), name="application_list"),
    path(
        "applications/new/tenant/<int:pk>/",
        app_views.DeskApplicationNewView.as_view(),
        {"payer": "tenant"},
        name="application_new_tenant",
    ),
    path(
        "applications/new/customer/<int:pk>/",
        app_views.DeskApplicationNewView.as_view(),
        {"payer": "customer"},
        name="application_new_customer",
    ),
    path("venues/applications/<int:pk>/", app_views.ApplicationDetailView.as_view(), name="application_detail"),
    path("venues/applications/<int:pk>/site/", app_views.ApplicationSiteView.as_view(), name="application_site"),
    path("venues/applications/<int:pk>/licence/", app_views.DeskLicenceView.as_view(), name="application_licence"),
    path("venues/applications/<int:pk>/notice.pdf", app_views.ApplicationPdfView.as_view(), name="application_pdf"),
]
portal_patterns += [
    path("venues/applications/", app_views.PortalApplicationListView.as_view(), name="application_list"),
    path("venues/applications/new/", app_views.PortalApplicationNewView.as_view(), name="application_new"),
    path("venues/applications/<int:pk>/", app_views.PortalApplicationDetailView.as_view(), name="application_detail"),
    path("venues/applications/<int:pk>/licence/", app_views.PortalLicenceView.as_view(), name="application_licence"),
    path(
        "venues/applications/<int:pk>/notice.pdf",
        app_views.PortalApplicationPdfView.as_view(),
        name="application_pdf",
    ),
]
