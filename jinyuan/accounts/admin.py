from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("username", "display_name", "email", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Service center"), {"fields": ("display_name", "phone")}),
    )

    # Supervisors manage staff and tenant accounts, but only a superuser makes superusers or
    # hands out single permissions; a superuser's account is out of a supervisor's reach.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
