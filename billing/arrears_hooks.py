"""What arrears 催缴 adds to the kernel: its document kinds and its desk and portal entries."""

from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav


def register() -> None:
    from jinyuan.documents import registry

    from .arrears_documents import DEMAND_LETTER, NOTICE

    registry.register(NOTICE)
    registry.register(DEMAND_LETTER)
    nav.register_desk(
        nav.DeskEntry(_("Arrears notices"), "desk:billing:arrears_notices", nav.BILLING, order=56),
        nav.DeskEntry(_("Arrears escalation"), "desk:billing:arrears_escalation", nav.BILLING, order=57),
    )
    nav.register_portal(nav.PortalEntry(_("Payment notices"), "portal:billing:arrears_notices", order=22))
