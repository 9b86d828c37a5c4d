"""Request-wide rules: private pages are never cached, idle sessions end on shared PCs."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# The stamp is rewritten at most this often: a session write per request would cost an UPDATE
# on every page and change the pinned query counts.
STAMP_EVERY_SECONDS = 60
LAST_SEEN_KEY = "_last_seen"


class PrivateCacheMiddleware:
    """Pages for a logged-in user and private files are ``Cache-Control: private, no-store``:
    a shared front-desk PC's browser or a proxy must not keep a tenant's bills or ID scans."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, private=True, no_store=True)
        return response


def idle_limit_seconds(user) -> int:
    """Staff work on shared desk PCs: a short idle limit. Tenants on their own devices keep longer."""
    if user.is_staff or user.is_desk_staff:
        return settings.STAFF_SESSION_IDLE_MINUTES * 60
    return settings.TENANT_SESSION_IDLE_MINUTES * 60


class IdleSessionMiddleware:
    """Ends a session after a period without requests, judged by a stamp kept in the session on
    the server: browsers restore session cookies, so "expire at browser close" is not enough."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No session cookie, no session to load: anonymous pages and health checks stay query-free.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > idle_limit_seconds(request.user):
                logout(request)
                messages.info(request, _("You were signed out after a period without activity. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - int(last_seen) >= STAMP_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
