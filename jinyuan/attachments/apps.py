from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "jinyuan.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self) -> None:
        from jinyuan.workflow import labels

        labels.register_any(
            {
                "attachment_added": _("File attached"),
                "attachment_voided": _("Attached file voided"),
                # jinyuan.privacy: ID scans and photos of people deleted after retention
                "personal_data_purged": _("Personal data deleted"),
            }
        )
        labels.register_data({"label": _("Description"), "file_name": _("File"), "deleted_files": _("Files deleted")})
