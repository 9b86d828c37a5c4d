from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and premises")

    def ready(self) -> None:
        from jinyuan.workflow import labels

        labels.register(
            "tenant",
            actions={
                "created": _("Tenant registered"),
                "updated": _("Tenant details changed"),
                "contact_added": _("Contact added"),
                "occupancy_started": _("Occupancy started"),
                "occupancy_ended": _("Occupancy ended"),
                "member_added": _("Portal user added"),
            },
        )
