"""The supervisors' admin of recyclables and material distribution: approved recyclers and the
dated prices per kg are kept here; requests are read and searched (every change of their state
goes through the desk's pages, the services)."""

from django.contrib import admin

from jinyuan.admin import AuditedAdminMixin, WorkflowInlineMixin, WorkflowRecordAdminMixin

from .models import MaterialDistribution, RecycleLine, RecyclePrice, Recycler, RecycleRequest


@admin.register(Recycler)
class RecyclerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A recycler is retired (not active), never deleted."""

    audit_prefix = "recycler"
    list_display = ("name", "licence_number", "contact_name", "contact_phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "licence_number", "contact_name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecyclePrice)
class RecyclePriceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A price holds from its day until the next row of its category: a new price is a new row."""

    audit_prefix = "recycle_price"
    list_display = ("category", "effective_from", "price_per_kg")
    list_filter = ("category",)
    date_hierarchy = "effective_from"

    def get_readonly_fields(self, request, obj=None):
        return ("category", "effective_from", "price_per_kg") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(WorkflowInlineMixin, admin.TabularInline):
    model = RecycleLine
    extra = 0
    fields = ("category", "weight_kg", "list_price", "price_per_kg", "amount", "price_reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RecycleRequest)
class RecycleRequestAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "tenant", "unit", "status", "recycler", "pickup_at", "settlement", "total")
    list_filter = ("status", "settlement", "recycler")
    search_fields = ("number", "tenant__name")
    list_select_related = ("tenant", "unit", "recycler")
    date_hierarchy = "created_at"
    inlines = (LineInline,)
    readonly_fields = (
        *("number", "tenant", "unit", "applicant", "categories", "estimated_kg", "preferred_time", "settlement"),
        *("recycler", "pickup_at", "collected_at", "total", "settled_at", "received_by"),
        *("release_note", "credit_note", "voucher"),
    )

    def has_add_permission(self, request):
        return False


@admin.register(MaterialDistribution)
class MaterialDistributionAdmin(WorkflowRecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "tenant", "title", "quantity", "targets", "status", "distributed_count")
    list_filter = ("status", "targets", "charge")
    search_fields = ("number", "title", "tenant__name")
    list_select_related = ("tenant",)
    date_hierarchy = "created_at"
    readonly_fields = (
        *("number", "tenant", "applicant", "title", "quantity", "targets", "building", "charge"),
        *("fee_item", "unit_price", "preferred_date", "refusal_reason", "distributed_count", "distributed_by"),
        *("completed_at", "bill"),
    )
    exclude = ("floors", "target_tenants")

    def has_add_permission(self, request):
        return False
