from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")
    # Finance keeps the price list and reads the ledgers in the admin.
    role_permissions = {
        "finance": [
            "billing.view_feeitem",
            "billing.add_feeitem",
            "billing.change_feeitem",
            "billing.view_bill",
            "billing.view_payment",
            "billing.view_depositentry",
            "billing.view_reminderstep",
            "billing.add_reminderstep",
            "billing.change_reminderstep",
            "billing.view_remindersent",
            "billing.view_arrearscontact",
            "billing.view_demandletter",
            "billing.view_latefeecharge",
            "billing.view_latefeewaiver",
            "billing.view_customer",
            "billing.add_customer",
            "billing.change_customer",
            "billing.view_invoicerequest",
            "billing.view_invoiceprofile",
        ]
    }

    def ready(self) -> None:
        from jinyuan import navigation
        from jinyuan.documents import registry
        from jinyuan.workflow import labels

        from . import hooks
        from .documents import RECEIPT

        registry.register(RECEIPT)
        # Credit notes 贷项通知单 (issue 16): the paper of a credit put on a tenant's account.
        from .credit_notes import CREDIT_NOTE

        registry.register(CREDIT_NOTE)
        from . import arrears_hooks

        arrears_hooks.register()
        from .models import Payment

        labels.register_data(
            {
                "total": _("Total"),
                "amount": _("Amount"),
                "allocated": _("Allocated to bills"),
                "method": (_("Method"), lambda code: str(dict(Payment.Method.choices).get(code, code))),
                "held": _("Deposit held"),
                "deducted": _("Deducted"),
                "refunded": _("Refunded"),
                "bill": _("Bill"),
            }
        )
        navigation.register_panel(hooks.desk_panels)
        from jinyuan.accounts.roles import MONEY_ROLES

        # Amounts only for the roles that may open the billing pages the panel links to.
        navigation.register_related(hooks.tenant_bills, roles=MONEY_ROLES)
        hooks.register_navigation()
        hooks.register_checklist_items()
        from tenants import grants

        grants.register_area(hooks.BILLS, _("Bills and payments"))
        from . import invoice_hooks

        invoice_hooks.register()
        from . import utilities

        utilities.register()
