from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jinyuan.admin import AuditedAdminMixin, TimelineAdminMixin, WorkflowRecordAdminMixin
from jinyuan.workflow.services import TransitionRefused

from . import services
from .models import (
    Allocation,
    Bill,
    BillLine,
    DepositEntry,
    FeeItem,
    FeePrice,
    LateFeeCharge,
    LateFeeWaiver,
    Payment,
    ServiceCharge,
)


class FeePriceInline(admin.TabularInline):
    """Dated prices: a new price is a new row from a date, never an overwrite (billing.services.fee_price_add)."""

    model = FeePrice
    fields = ("effective_from", "price", "price_min", "price_max", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeeItem)
class FeeItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The price list (价目表): finance keeps it here."""

    audit_prefix = "fee_item"
    list_display = ("name", "code", "kind", "price", "unit_label", "at_move_in", "billed_monthly", "is_active")
    list_filter = ("kind", "meter_kind", "is_active", "at_move_in", "billed_monthly")
    list_editable = ("is_active",)
    search_fields = ("name", "code")
    readonly_fields = ("timeline",)
    inlines = [FeePriceInline]

    def get_readonly_fields(self, request, obj=None):
        # Once the item exists its price changes only through a new dated price row.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "price", "price_min", "price_max") if obj is not None else fields

    def save_formset(self, request, form, formset, change):
        if formset.model is not FeePrice:
            return super().save_formset(request, form, formset, change)
        from .services import fee_price_add

        for row in formset.save(commit=False):
            if row.pk is None:
                fee_price_add(
                    item=form.instance,
                    price=row.price,
                    effective_from=row.effective_from,
                    price_min=row.price_min,
                    price_max=row.price_max,
                    by=request.user,
                )

    def has_delete_permission(self, request, obj=None):
        return False


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "fee_item",
        "unit",
        "description",
        "period_start",
        "period_end",
        "quantity",
        "unit_price",
        "amount",
    )

    def has_add_permission(self, request, obj=None):
        return False


class AllocationInline(admin.TabularInline):
    model = Allocation
    extra = 0
    can_delete = False
    readonly_fields = ("payment", "bill", "amount", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(TimelineAdminMixin, admin.ModelAdmin):
    list_display = ("number", "tenant", "customer", "title", "issued_on", "due_date", "total", "paid", "status")
    list_filter = ("status", "issued_on", "due_date")
    search_fields = ("number", "tenant__name", "customer__name", "title")
    list_select_related = ("tenant", "customer")
    date_hierarchy = "issued_on"
    readonly_fields = [f.name for f in Bill._meta.fields] + ["timeline"]
    inlines = [BillLineInline, AllocationInline]
    actions = ["void_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Void selected unpaid bills (reason: voided in admin)"))
    def void_selected(self, request, queryset):
        done = 0
        for bill in queryset:
            try:
                services.bill_void(bill=bill, by=request.user, reason=str(_("Voided in admin")))
                done += 1
            except TransitionRefused:
                pass
        self.message_user(request, _("%(n)d bills voided.") % {"n": done}, messages.SUCCESS)


@admin.register(Payment)
class PaymentAdmin(TimelineAdminMixin, admin.ModelAdmin):
    list_display = (
        *("received_at", "tenant", "customer", "amount", "allocated", "method", "reference", "receipt"),
        "received_by",
    )
    list_filter = ("method", "received_at")
    search_fields = ("tenant__name", "customer__name", "reference", "receipt__number")
    list_select_related = ("tenant", "customer", "receipt", "received_by")
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in Payment._meta.fields] + ["timeline"]
    inlines = [AllocationInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DepositEntry)
class DepositEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "tenant", "customer", "fee_item", "kind", "amount", "reason", "created_by")
    list_filter = ("kind", "fee_item")
    search_fields = ("tenant__name", "customer__name", "reason")
    list_select_related = ("tenant", "customer", "fee_item", "created_by")
    readonly_fields = [f.name for f in DepositEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceCharge)
class ServiceChargeAdmin(TimelineAdminMixin, admin.ModelAdmin):
    """有偿服务单: made at the desk (billing.paid_services.service_charge), read here."""

    list_display = ("number", "done_on", "tenant", "title", "bill", "created_by")
    list_filter = ("done_on",)
    search_fields = ("number", "tenant__name", "title")
    list_select_related = ("tenant", "bill", "created_by")
    date_hierarchy = "done_on"
    readonly_fields = [f.name for f in ServiceCharge._meta.fields] + ["timeline"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- arrears 催缴 (issue 13) ---------------------------------------------------------------------
from django import forms  # noqa: E402

from .arrears_models import ArrearsContact, DemandLetter, NoticeBatch, ReminderSent, ReminderStep  # noqa: E402


class ReminderStepForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=ReminderStep.Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ReminderStep
        fields = ("offset_days", "name", "channels", "is_active")


@admin.register(ReminderStep)
class ReminderStepAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The reminder schedule 催缴: finance edits the steps; a step is switched off, never deleted
    (the reminders sent name it)."""

    audit_prefix = "reminder_step"
    form = ReminderStepForm
    list_display = ("offset_days", "name", "channels", "is_active")
    list_editable = ("is_active",)
    search_fields = ("name",)
    readonly_fields = ("timeline",)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ("bill", "step", "sent_at", "channels", "recipients")
    list_select_related = ("bill", "step")
    search_fields = ("bill__number", "bill__tenant__name")


@admin.register(ArrearsContact)
class ArrearsContactAdmin(TimelineAdminMixin, ReadOnlyAdmin):
    list_display = ("tenant", "method", "person", "contacted_at", "promise_date", "recorded_by")
    list_select_related = ("tenant", "recorded_by")
    search_fields = ("tenant__name", "person")
    readonly_fields = ("timeline",)


@admin.register(DemandLetter)
class DemandLetterAdmin(TimelineAdminMixin, ReadOnlyAdmin):
    list_display = ("__str__", "tenant", "total", "issued_at", "delivery_method", "delivered_on")
    list_select_related = ("tenant", "document")
    search_fields = ("tenant__name", "document__number")
    readonly_fields = ("timeline",)


@admin.register(NoticeBatch)
class NoticeBatchAdmin(ReadOnlyAdmin):
    """The batches of printed notices (a building or floor at a time), as finance printed them."""

    list_display = ("created_at", "where", "notices", "first_number", "last_number", "pages", "created_by")
    list_select_related = ("building", "floor__building", "created_by")
    list_filter = ("building",)
    search_fields = ("first_number", "last_number")
    date_hierarchy = "created_at"

    @admin.display(description=_("Building or floor"))
    def where(self, obj: NoticeBatch) -> str:
        return obj.place


@admin.register(LateFeeCharge)
class LateFeeChargeAdmin(ReadOnlyAdmin):
    """Late fees 违约金 billed, per overdue bill and month (billing.latefee_services): read here."""

    list_display = (
        "source_key",
        "tenant",
        "source_bill",
        "month",
        "days",
        "daily_rate",
        "fee",
        "waived",
        "amount",
        "bill",
    )
    list_filter = ("month",)
    search_fields = ("source_key", "source_bill__number", "bill__number", "source_bill__tenant__name")
    list_select_related = ("source_bill__tenant", "bill")
    date_hierarchy = "month"
    readonly_fields = [f.name for f in LateFeeCharge._meta.fields]
    raw_id_fields = ("source_bill", "bill", "bill_line")

    @admin.display(description=_("tenant"), ordering="source_bill__tenant__name")
    def tenant(self, obj):
        return obj.source_bill.tenant


@admin.register(LateFeeWaiver)
class LateFeeWaiverAdmin(ReadOnlyAdmin):
    """Late fees waived by supervisors, with their reasons (made on the bill's desk page)."""

    list_display = ("created_at", "tenant", "source_bill", "amount", "reason", "created_by")
    list_filter = ("created_at",)
    search_fields = ("source_bill__number", "source_bill__tenant__name", "reason")
    list_select_related = ("source_bill__tenant", "created_by")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in LateFeeWaiver._meta.fields]

    @admin.display(description=_("tenant"), ordering="source_bill__tenant__name")
    def tenant(self, obj):
        return obj.source_bill.tenant


# --- customers: payers who are not tenants (billing.payers) ------------------------------------
from .models import Customer  # noqa: E402


@admin.register(Customer)
class CustomerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "credit_code", "contact_person", "phone", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "credit_code", "contact_person", "phone")
    readonly_fields = ("created_by", "created_at", "timeline")

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted: made inactive

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# VAT invoice requests 发票 (issue 14): read here; requested, issued and refused on the desk's pages.
from .invoice_models import InvoiceProfile, InvoiceRequest  # noqa: E402


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(WorkflowRecordAdminMixin, ReadOnlyAdmin):
    list_display = ("__str__", "tenant", "kind", "title", "amount", "status", "invoice_number", "created_at")
    list_select_related = ("tenant",)
    list_filter = ("status", "kind")
    search_fields = ("title", "taxpayer_number", "invoice_number", "tenant__name")
    readonly_fields = ("timeline",)


@admin.register(InvoiceProfile)
class InvoiceProfileAdmin(ReadOnlyAdmin):
    list_display = ("tenant", "kind", "title", "taxpayer_number", "updated_at")
    list_select_related = ("tenant",)
    search_fields = ("tenant__name", "title", "taxpayer_number")


# --- utility charges 水电费 (issue 14): what reading rounds billed, read-only ------------------------

from .utility_models import MeterCharge  # noqa: E402


@admin.register(MeterCharge)
class MeterChargeAdmin(admin.ModelAdmin):
    list_display = ("meter", "bill", "previous_value", "current_value", "multiplier", "consumption", "rate")
    list_select_related = ("meter", "bill")
    search_fields = ("meter__number", "bill__number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
