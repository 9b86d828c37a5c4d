from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin

from .models import Building, Contact, Floor, Membership, Occupancy, Tenant, Unit


@admin.register(Building)
class BuildingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("code", "name", "address", "floor_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_floors=Count("floors"))

    @admin.display(description=_("floors"), ordering="_floors")
    def floor_count(self, obj):
        return obj._floors


@admin.register(Floor)
class FloorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("building", "number", "label")
    list_filter = ("building",)
    list_select_related = ("building",)


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "premises"
    list_display = ("number", "building", "floor", "area", "use", "is_active")
    list_filter = ("floor__building", "use", "is_active")
    search_fields = ("number",)
    list_select_related = ("floor__building",)
    raw_id_fields = ("floor",)

    @admin.display(description=_("building"), ordering="floor__building__code")
    def building(self, obj):
        return obj.floor.building


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class OccupancyInline(admin.TabularInline):
    model = Occupancy
    extra = 0
    raw_id_fields = ("unit",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Tenant)
class TenantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "tenant"
    list_display = ("name", "credit_code", "industry", "phone", "is_active", "created_at")
    list_filter = ("is_active", "industry")
    search_fields = ("name", "credit_code", "contacts__name")
    inlines = [ContactInline, OccupancyInline, MembershipInline]
    readonly_fields = ("timeline",)


@admin.register(Occupancy)
class OccupancyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "tenant"
    list_display = ("tenant", "unit", "start", "end")
    list_filter = ("unit__floor__building",)
    search_fields = ("tenant__name", "unit__number")
    list_select_related = ("tenant", "unit")
    raw_id_fields = ("tenant", "unit")
    date_hierarchy = "start"


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "tenant"
    list_display = ("user", "tenant", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "tenant__name")
    list_select_related = ("user", "tenant")
    raw_id_fields = ("user", "tenant")
