from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _area_label(code: str) -> str:
    from .grants import areas

    return str({a.code: a.label for a in areas()}.get(code, code))


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and premises")

    def ready(self) -> None:
        from jinyuan.workflow import labels

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
                "user": _("User"),
                "area": (_("Portal area"), _area_label),
            }
        )

        from . import checklist_items, hooks

        checklist_items.register()
        hooks.register_navigation()
        hooks.register_meter_navigation()

        from jinyuan.attachments import access as attachment_access
        from jinyuan.attachments.models import register_kinds

        from .access import can_view_tenant_files
        from .models import ArchiveKind, Tenant

        # The customer archive is the tenant's attachments (tenants.services.archive).
        attachment_access.register(Tenant, can_view_tenant_files)
        register_kinds(Tenant, ArchiveKind.choices)

        from jinyuan.workflow import deadlines

        from .selectors import tenant_admin_ids_by_record

        deadlines.register_recipients("tenant_admins", tenant_admin_ids_by_record)

        from jinyuan import privacy

        from .selectors import tenants_left_before

        # ID scans of the contact go N days after the company's last occupancy ends.
        privacy.register_retention(
            Tenant, closed_at=tenants_left_before, kinds=(*privacy.PERSONAL_KINDS, ArchiveKind.CONTACT_ID)
        )

        # Meter photos are filed on their reading round: the staff who read meters see them.
        from jinyuan.accounts.roles import Role

        from .models import ReadingRound

        attachment_access.register(
            ReadingRound, lambda user, record: user.has_role(Role.FRONT_DESK, Role.ENGINEERING, Role.SUPERVISOR)
        )
        register_kinds(ReadingRound, [("meter_photo", _("Meter photo"))])
        labels.register_data(
            {
                "count": _("Count"),
                "held_readings": _("Held for confirmation"),
                "month": _("Month"),
                "value": _("Reading"),
                "confirmed": _("Confirmed reading"),
                "replacement": _("Meter replaced"),
                "reason": _("Reason"),
                "source": _("Source"),
            }
        )
