"""What tenants adds to the kernel's pages (registered in TenantsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import Role
from jinyuan.dashboard import Panel

from . import selectors


def desk_panels(user: Any) -> list[Panel]:
    """The supervisor's: move-ins whose checklist is complete, waiting for confirmation."""
    if not user.has_role(Role.SUPERVISOR):
        return []
    url = reverse("desk:movein_list") + "?status=open&ready=true"
    return [Panel(_("Move-ins to confirm"), selectors.move_ins_ready().count(), url, "danger")]
