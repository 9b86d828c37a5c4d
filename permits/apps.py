from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Permits and certificates")

    def ready(self) -> None:
        from jinyuan import dashboard
        from jinyuan.documents import registry
        from tenants import extensions

        from . import hooks
        from .documents import PREMISES_CERTIFICATE

        registry.register(PREMISES_CERTIFICATE)
        dashboard.register(hooks.desk_panels)
        extensions.register_related(hooks.tenant_certificates)
