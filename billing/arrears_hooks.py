"""What arrears 催缴 adds to the kernel: its document kinds and its desk and portal entries."""

from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import Role


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.documents import registry

    from .arrears_documents import DEMAND_LETTER, NOTICE
    from .arrears_models import DemandLetter

    # The proof of a letter's delivery: the supervisor and finance, who open the letters.
    attachment_access.register(DemandLetter, lambda user, letter: user.has_role(Role.SUPERVISOR, Role.FINANCE))
    registry.register(NOTICE)
    registry.register(DEMAND_LETTER)
    nav.register_desk(
        nav.DeskEntry(_("Arrears notices"), "desk:billing:arrears_notices", nav.BILLING, order=56),
        nav.DeskEntry(_("Arrears escalation"), "desk:billing:arrears_escalation", nav.BILLING, order=57),
    )
    nav.register_portal(nav.PortalEntry(_("Payment notices"), "portal:billing:arrears_notices", order=22))
