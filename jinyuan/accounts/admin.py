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
