"""Portal access: a tenant user sees only their own company's records."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.urls import get_script_prefix

from jinyuan import navigation

from . import grants
from .models import Membership
from .selectors import membership_for


class TenantMemberRequiredMixin(AccessMixin):
    """A portal page. Sets ``self.membership`` and ``self.tenant`` for the view.

    ``grant_area`` names the portal area (``tenants.grants``) the page belongs to: staff
    without that grant from their company's admin get 403.
    """

    admin_only = False
    grant_area = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = membership_for(request.user)
        if membership is None:
            raise PermissionDenied
        if self.admin_only and membership.role != Membership.Role.ADMIN:
            raise PermissionDenied
        if self.grant_area and not grants.may_open(membership, self.grant_area):
            raise PermissionDenied
        self.membership = membership
        self.tenant = membership.tenant
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["membership"] = self.membership
        ctx["tenant"] = self.tenant
        # What the navigation and the home page may link to for this user.
        ctx["portal_areas"] = grants.open_areas(self.membership)
        ctx["portal_menu"] = navigation.portal_menu(
            self.membership.is_admin, ctx["portal_areas"], navigation.menu_urls(get_script_prefix())
        )
        return ctx


def can_view_tenant_files(user, tenant) -> bool:
    """Files on a tenant (as the archive): the customer service desk, or the company's admins
    and the staff they opened the archive to."""
    from jinyuan.accounts.roles import Role

    if user.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
        return True
    return grants.member_may_open(user, tenant.pk, grants.ARCHIVE)
