"""Venue pages: meeting rooms, bookings and the desk calendar (rooms.py); public-space
applications and events (applications.py)."""
