"""What hot-work permits add to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav


def register() -> None:
    from jinyuan.documents import registry
    from jinyuan.workflow import deadlines
    from tenants import grants

    from . import board, hot_work
    from . import hot_work_selectors as selectors
    from .hot_work_documents import HOT_WORK_PERMIT
    from .models.hot_work import HOT_WORK_AREA, HOT_WORK_EXPIRE_ACTION, HotWorkPermit

    registry.register(HOT_WORK_PERMIT)
    grants.register_area(HOT_WORK_AREA, _("Hot-work permits"))
    deadlines.register_deadline_kind("recheck", gettext_noop("Site recheck"))
    deadlines.register_step_action(HOT_WORK_EXPIRE_ACTION, hot_work.expire_due)
    board.register_section(
        board.BoardSection(
            "hot_work",
            HotWorkPermit._meta.verbose_name_plural,
            selectors.hot_work_on_board,
            "permits/desk/_board_hot_work.html",
            order=10,
        )
    )
    nav.register_work(
        nav.Work(HotWorkPermit, HotWorkPermit._meta.verbose_name_plural, "desk:permits:hot_work_list", order=32)
    )
    nav.register_desk(
        nav.DeskEntry(_("Hot-work permits"), "desk:permits:hot_work_list", nav.TENANT_SERVICES, order=57),
        nav.DeskEntry(_("Security board"), "desk:permits:security_board", nav.TENANT_SERVICES, order=58),
    )
    nav.register_portal(nav.PortalEntry(_("Hot-work permits"), "portal:permits:hot_work_list", order=57))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for hot work"), "portal:permits:hot_work_new", "fire", order=57),
    )
    nav.register_log_events(
        "hot_work",
        label=HotWorkPermit._meta.verbose_name_plural,
        codes=(
            "hot_work.approved",
            "hot_work.started",
            "hot_work.work_ended",
            "hot_work.closed",
            "hot_work.stopped",
            "hot_work.expired",
        ),
    )
