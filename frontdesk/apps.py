from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from tenants import grants

        from .models import FRONTDESK_AREA

        # Recyclables and material distribution: a tenant's admin, or a member granted this area.
        grants.register_area(FRONTDESK_AREA, _("Recyclables and material distribution"))

        # Each section registers its menus, panels and timeline labels (frontdesk/<section>_menus.py).
        # Duty log and handover; visitor inquiries.
        from . import duty_menus

        duty_menus.register()
        # Announcements 公告: menus, the portal home's links, desk panels, files, timeline labels.
        from . import notice_menus

        notice_menus.register()
        # Tenant liaison, follow-up items and emergency records.
        from . import liaison_menus

        liaison_menus.register()

        # Recyclables 废品收购 and material distribution 代派资料.
        from . import recyclables_menus

        recyclables_menus.register()
        # Where the sections meet: an emergency's announcement, linked both ways.
        from . import section_links

        section_links.register()

        # --- patrols 巡视: points, routes, plans, tasks on a phone (frontdesk/patrol_menus.py) ---
        from . import patrol_menus

        patrol_menus.register()

        # --- the building management log 大厦管理日志 (frontdesk/management_log_menus.py) ---
        from . import management_log_menus

        management_log_menus.register()

        # --- quality checks 品质检查 (frontdesk/quality_menus.py) ---
        from . import quality_menus

        quality_menus.register()

        # --- the supervisor dashboard and its monthly report (frontdesk/dashboard_menus.py) ---
        from . import dashboard_menus

        dashboard_menus.register()
