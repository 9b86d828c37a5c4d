from django.contrib import admin

from .models import AuditEvent, Notification, NumberSequence


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "content_type", "object_id", "actor", "from_state", "to_state")
    list_filter = ("content_type", "action")
    search_fields = ("action", "note", "actor__username")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last")
    readonly_fields = ("prefix", "year", "last")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at", "emailed_at")
    list_filter = ("read_at", "emailed_at")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "title", "body", "url", "dedup_key", "read_at", "emailed_at")

    def has_add_permission(self, request):
        # Notifications are sent by the system's services, never typed in.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
