from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jinyuan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from jinyuan.admin import harden_admin_changelists

        from .permissions import grant_role_permissions

        harden_admin_changelists()
        post_migrate.connect(grant_role_permissions, dispatch_uid="accounts.grant_role_permissions")
