"""The supervisors' admin of patrols 巡视: points, routes (their stops inline) and plans (their
windows inline) are kept here; tasks are read and searched (their changes go through the
phone pages, the services). Nothing is deleted: a point, route or plan is taken out of use."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, ReadOnlyAdminMixin, WorkflowRecordAdminMixin

from .models import PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow
from .patrol_forms import patrol_staff


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PatrolPoint)
class PatrolPointAdmin(NoDelete, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "patrol_point"
    list_display = ("name", "building", "floor", "location", "code", "repair_category", "is_active")
    list_filter = ("is_active", "building")
    search_fields = ("name", "location", "code")
    list_select_related = ("building", "floor", "repair_category")
    readonly_fields = ("code",)
    autocomplete_fields = ()


class StopInline(admin.TabularInline):
    model = PatrolStop
    extra = 1
    fields = ("position", "point", "checklist")
    ordering = ("position",)

    def has_delete_permission(self, request, obj=None):
        # A stop taken off a route is history of past tasks: the route is changed by a new one.
        return obj is None or not obj.tasks.exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "point":
            kwargs["queryset"] = PatrolPoint.objects.filter(is_active=True).select_related("building")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PatrolRoute)
class PatrolRouteAdmin(NoDelete, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "patrol_route"
    list_display = ("name", "stop_count", "description", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description", "stops__point__name")
    inlines = [StopInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stop_count=Count("stops"))

    @admin.display(description=_("stops"), ordering="stop_count")
    def stop_count(self, obj):
        return obj.stop_count


class WindowFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            starts, ends = form.cleaned_data.get("starts"), form.cleaned_data.get("ends")
            if starts and ends and ends <= starts:
                form.add_error("ends", ValidationError(_("The window must end after it starts.")))


class WindowInline(admin.TabularInline):
    model = PatrolWindow
    formset = WindowFormSet
    extra = 1
    fields = ("starts", "ends")

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.tasks.exists()


@admin.register(PatrolPlan)
class PatrolPlanAdmin(NoDelete, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "patrol_plan"
    list_display = ("name", "route", "assignee", "days", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active", "days", "route")
    search_fields = ("name", "route__name", "assignee__username", "assignee__display_name")
    list_select_related = ("route", "assignee")
    inlines = [WindowInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = patrol_staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PatrolTask)
class PatrolTaskAdmin(ReadOnlyAdminMixin, WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = (
        "date",
        "window_text",
        "route",
        "assignee",
        "original_assignee",
        "points_checked",
        "points_due",
        "status",
    )
    list_filter = ("status", "route", "date")
    search_fields = ("route__name", "assignee__username", "assignee__display_name", "transfer_reason")
    list_select_related = ("route", "assignee", "original_assignee")
    date_hierarchy = "date"

    @admin.display(description=_("Window"))
    def window_text(self, obj):
        return obj.window_text
