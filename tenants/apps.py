from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and premises")

    def ready(self) -> None:
        from jinyuan.workflow import labels

        labels.register(
            "tenant",
            actions={
                "created": _("Tenant registered"),
                "updated": _("Tenant details changed"),
                "contact_added": _("Contact added"),
                "occupancy_started": _("Occupancy started"),
                "occupancy_ended": _("Occupancy ended"),
                "member_added": _("Portal user added"),
                "archive_uploaded": _("Document filed in the archive"),
                "archive_voided": _("Archive document voided"),
                "movein_opened": _("Move-in opened"),
                "moveout_opened": _("Move-out opened"),
                "signboard_ordered": _("Signboard ordered"),
                "deposit_refunded": _("Deposit settled"),
                "portal_closed": _("Portal access closed"),
            },
        )
        from .models import MoveIn, MoveOut, Signboard

        labels.register(
            "movein",
            actions={
                "opened": _("Move-in opened"),
                "agreement_signed": _("Agreement signed"),
                "keys_handed": _("Keys and cards handed over"),
                "unit_inspected": _("Unit inspected"),
                "signboard_not_needed": _("No signboard wanted"),
                "portal_invited": _("Portal invitation sent"),
                "confirm": _("Move-in confirmed"),
                "cancel": _("Move-in cancelled"),
            },
            states=MoveIn.Status.choices,
        )
        labels.register(
            "moveout",
            actions={
                "opened": _("Move-out opened"),
                "keys_returned": _("Keys and cards returned"),
                "unit_inspected": _("Final inspection"),
                "complete": _("Move-out completed"),
                "cancel": _("Move-out cancelled"),
            },
            states=MoveOut.Status.choices,
        )
        labels.register(
            "signboard",
            actions={
                "ordered": _("Signboard ordered"),
                "approve": _("Text approved"),
                "allow_mismatch": _("Text other than the registered name allowed"),
                "reject": _("Signboard rejected"),
                "produce": _("Produced"),
                "install": _("Installed"),
                "remove": _("Removed"),
            },
            states=Signboard.Status.choices,
        )
        labels.register("account", actions={"invited": _("Portal invitation sent")})
        labels.register_data(
            {
                "unit": _("Unit"),
                "units": _("Units"),
                "keys": _("Keys"),
                "cards": _("Access cards"),
                "water": _("Water meter (m³)"),
                "electricity": _("Electricity meter (kWh)"),
                "damage_charge": _("Damage charge (CNY)"),
                "start": _("From"),
                "end": _("Until"),
                "planned": _("Planned move-out date"),
                "signed_on": _("Signed on"),
                "signer": _("Signed by (tenant side)"),
                "text": _("Text"),
                "title": _("Title"),
                "number": _("Number"),
            }
        )

        from . import checklist_items

        checklist_items.register()

        from jinyuan.attachments import access as attachment_access

        from .access import can_view_tenant_files
        from .models import Tenant

        attachment_access.register(Tenant, can_view_tenant_files)
