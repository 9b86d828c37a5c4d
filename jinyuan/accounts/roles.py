"""Staff roles. Each is a Django group made by a migration; code refers to them by these codes."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    FRONT_DESK = "front_desk"
    SUPERVISOR = "supervisor"
    ENGINEERING = "engineering"
    SECURITY = "security"
    FINANCE = "finance"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.FRONT_DESK: _("Front desk"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.ENGINEERING: _("Engineering"),
    Role.SECURITY: _("Security"),
    Role.FINANCE: _("Finance"),
}

# Every staff role may open the desk; what each may do there is decided per action.
STAFF_ROLES = frozenset(Role)

# The groups of roles the procedures name; apps use these (or the permission checks built on
# them in jinyuan.workflow.permissions), never their own copies.
DESK_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR)
SUPERVISOR_ROLES = (Role.SUPERVISOR,)
# Who sees money at the desk: the clerks who collect it, finance, and supervisors; and who
# may void a bill.
MONEY_ROLES = (Role.FRONT_DESK, Role.FINANCE, Role.SUPERVISOR)
VOID_ROLES = (Role.FINANCE, Role.SUPERVISOR)
