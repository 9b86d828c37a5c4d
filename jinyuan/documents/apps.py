from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "jinyuan.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from jinyuan import navigation

        # The guards' page: its roles (GATE_ROLES) come from GateView.
        navigation.register_desk(navigation.DeskEntry(_("Gate"), "gate", icon="qr-code-scan", order=70))
