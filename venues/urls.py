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
