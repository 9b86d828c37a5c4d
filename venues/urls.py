"""Venue URLs (namespaces ``desk:venues:`` and ``portal:venues:``). Two sections, each adding
its own patterns: meeting rooms and the calendar (bookings), then public-space applications
and events."""

from django.urls import path  # noqa: F401 (the sections below use it)

desk_patterns: list = []
portal_patterns: list = []

# --- meeting rooms, bookings and the desk calendar (venues/views/rooms.py) -------------------------

# --- public-space applications and events (venues/views/applications.py) ---------------------------
