from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Permits and certificates")

    def ready(self) -> None:
        from jinyuan import navigation
        from jinyuan.attachments import access as attachment_access
        from jinyuan.documents import registry
        from renovation import passes as renovation_passes

        from . import hooks
        from .documents import PREMISES_CERTIFICATE, WORKER_PASS
        from .models import WorkerPass

        registry.register(PREMISES_CERTIFICATE)
        registry.register(WORKER_PASS)
        attachment_access.register(WorkerPass, hooks.can_view_pass_files)
        navigation.register_panel(hooks.desk_panels)
        navigation.register_related(hooks.tenant_certificates)
        hooks.register_navigation()
        # Stop-work, its lifting, closing and the deposit refund reach this app's passes.
        from .passes import RENOVATION_PASSES

        renovation_passes.register(RENOVATION_PASSES)

        from jinyuan import privacy

        from .selectors import passes_ended_before, scrub_worker_pass

        # A worker's photo goes, and the ID number is masked, N days after the pass ends.
        privacy.register_retention(WorkerPass, closed_at=passes_ended_before, scrub=scrub_worker_pass)

        # 大件物品放行条 (issue 9: release notes)
        from .documents import RELEASE_NOTE
        from .models import ReleaseNote

        registry.register(RELEASE_NOTE)
        attachment_access.register(ReleaseNote, hooks.can_view_release_note_files)
        hooks.register_release_notes()
        from jinyuan.documents.services import GATE_PHOTO

        from .selectors import release_notes_ended_before, scrub_release_note

        # The carrier's ID number is masked, and photos taken at the exit deleted, N days after the note's day.
        privacy.register_retention(
            ReleaseNote, closed_at=release_notes_ended_before, kinds=(GATE_PHOTO,), scrub=scrub_release_note
        )

        # Access passes 大厦出入证: portal area, menus, panels, move-out checklist item.
        from . import access_hooks

        access_hooks.register()
        # 停车证 parking permits: document kinds, portal area, deadline step actions, move-out item.
        from . import parking_hooks

        parking_hooks.register()
        # 临时用电 temporary power: document kind, deadline kind, menus, panels.
        from . import power_hooks

        power_hooks.register()
        # 动火作业 hot-work permits: document kind, portal area, expiry step, security's board, menus.
        from . import hot_work_hooks

        hot_work_hooks.register()
        # 专用货梯 freight-elevator slots (issue 10): portal area, menus, panels.
        from . import elevator_hooks

        elevator_hooks.register()
