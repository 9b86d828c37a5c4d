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
        from jinyuan import navigation

        # The admin lets in is_staff users only (supervisors; finance for the price list).
        navigation.register_desk(
            navigation.DeskEntry(_("Admin"), "admin:index", order=90, when=lambda user: user.is_staff)
        )
        post_migrate.connect(grant_role_permissions, dispatch_uid="accounts.grant_role_permissions")
