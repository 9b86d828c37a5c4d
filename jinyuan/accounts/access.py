"""Access rules for views: anonymous users go to the login page, wrong roles get 403."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .roles import STAFF_ROLES, Role


class StaffRequiredMixin(AccessMixin):
    """A desk page. ``roles`` narrows it to some staff roles; by default any staff role."""

    roles: frozenset[Role] | tuple[Role, ...] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.has_role(*self.roles):
            raise PermissionDenied
        # Records are looked up only after the checks: an anonymous visitor or a wrong role
        # learns nothing about which ids exist.
        self.load(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, *args, **kwargs) -> None:
        """Fetch the records the view works on (404 when missing). Runs after the access checks."""
