from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, Role


class User(AbstractUser):
    """A person who logs in: staff of the service center or a tenant's employee."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Notifications: always in-app; these choose the copies by e-mail and SMS, and the language
    # they (and reminders written by the night scan) are rendered in.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    notify_by_email = models.BooleanField(_("notify me by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify me by SMS"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """Group names this user holds, fetched once per request."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        preloaded = getattr(self, "_role_names", None)  # set by RoleAwareModelBackend
        if preloaded is not None:
            return frozenset(preloaded)
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return self.is_superuser or any(r in self.role_codes for r in roles)

    @property
    def is_desk_staff(self) -> bool:
        return self.is_superuser or bool(self.role_codes & STAFF_ROLES)
