from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and premises")

    def ready(self) -> None:
        from jinyuan.workflow import labels

        labels.register("account", actions={"invited": _("Portal invitation sent")})
        labels.register_data(
            {
                "unit": _("Unit"),
                "units": _("Units"),
                "keys": _("Keys"),
                "cards": _("Access cards"),
                "water": _("Water meter (m³)"),
                "electricity": _("Electricity meter (kWh)"),
                "damage_charge": _("Damage charge (CNY)"),
                "start": _("From"),
                "end": _("Until"),
                "planned": _("Planned move-out date"),
                "signed_on": _("Signed on"),
                "signer": _("Signed by (tenant side)"),
                "text": _("Text"),
                "title": _("Title"),
                "number": _("Number"),
            }
        )

        from jinyuan import dashboard

        from . import checklist_items, hooks

        checklist_items.register()
        dashboard.register(hooks.desk_panels)

        from jinyuan.attachments import access as attachment_access

        from .access import can_view_tenant_files
        from .models import Tenant

        attachment_access.register(Tenant, can_view_tenant_files)
