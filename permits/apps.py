from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Permits and certificates")

    def ready(self) -> None:
        from jinyuan import dashboard
        from jinyuan.documents import registry
        from jinyuan.workflow import deadlines, labels
        from tenants import extensions

        from . import hooks
        from .documents import PREMISES_CERTIFICATE
        from .models import PremisesCertificate

        registry.register(PREMISES_CERTIFICATE)
        labels.register(
            "certificate",
            actions={
                "submitted": _("Certificate requested"),
                "pass_check": _("Occupancy checked by the desk"),
                "send_back": _("Returned to tenant"),
                "resubmit": _("Submitted again"),
                "withdraw": _("Withdrawn by tenant"),
                "approve": _("Approved and issued"),
                "reject": _("Rejected"),
                "revoke": _("Certificate revoked"),
            },
            states=PremisesCertificate.Status.choices,
        )
        dashboard.register(hooks.desk_panels)
        extensions.register_related(hooks.tenant_certificates)
        deadlines.register("premises_certificates", hooks.remind_overdue)
