"""The supervisors' admin of venues: spaces and bookings here, applications and events in
application_admin.py."""

from . import application_admin  # noqa: F401 (registers the applications' admin)
