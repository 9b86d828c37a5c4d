"""Portal access: a tenant user sees only their own company's records."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .models import Membership
from .selectors import membership_for


class TenantMemberRequiredMixin(AccessMixin):
    """A portal page. Sets ``self.membership`` and ``self.tenant`` for the view."""

    admin_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = membership_for(request.user)
        if membership is None:
            raise PermissionDenied
        if self.admin_only and membership.role != Membership.Role.ADMIN:
            raise PermissionDenied
        self.membership = membership
        self.tenant = membership.tenant
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["membership"] = self.membership
        ctx["tenant"] = self.tenant
        return ctx


def can_view_tenant_files(user, tenant) -> bool:
    """Files on a tenant (as the archive): the customer service desk, or the company itself."""
    from jinyuan.accounts.roles import Role

    if user.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
        return True
    membership = membership_for(user)
    return membership is not None and membership.tenant_id == tenant.pk
