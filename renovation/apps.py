from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


def _department_label(code: str) -> str:
    from .models import Department

    return str(dict(Department.choices).get(code, code))


def _yes_no(value) -> str:
    return str(_("yes") if value else _("no"))


def _corrected_by(who: str) -> str:
    return str(_("the service center, for the company") if who == "desk" else _("the company"))


class RenovationConfig(AppConfig):
    name = "renovation"
    verbose_name = _("Renovation")

    def ready(self) -> None:
        from jinyuan import navigation
        from jinyuan.attachments import access as attachment_access
        from jinyuan.documents import registry
        from jinyuan.workflow import deadlines, labels
        from tenants import grants

        from . import checklist, hooks
        from .documents import RECTIFICATION_ORDER, RENOVATION_PERMIT
        from .models import Inspection, Renovation

        registry.register(RENOVATION_PERMIT)
        registry.register(RECTIFICATION_ORDER)
        deadlines.register_deadline_kind("engineering_review", gettext_noop("Engineering review"))
        deadlines.register_deadline_kind("security_review", gettext_noop("Security review"))
        deadlines.register_deadline_kind("rectification", gettext_noop("Rectification"))
        deadlines.register_deadline_kind("acceptance_engineering", gettext_noop("Acceptance inspection (engineering)"))
        deadlines.register_deadline_kind("acceptance_security", gettext_noop("Acceptance inspection (security)"))
        deadlines.register_deadline_kind("defect_period", gettext_noop("Defect period"))
        deadlines.register_deadline_kind("extension_approval", gettext_noop("Extension approval"))
        # What the supervisors change in the admin (the rule table, the tiers and fees).
        labels.register(
            "renovation_rules",
            actions={"created": _("Fire-approval rule added"), "changed": _("Fire-approval rule changed")},
        )
        labels.register(
            "renovation_fees",
            actions={"created": _("Renovation fees or deposit tier added"), "changed": _("Renovation fees changed")},
        )
        labels.register(
            "renovation_inspection",
            actions={"changed": _("Inspection findings corrected in the admin")},
        )
        checklist.register()
        checklist.register_move_out()
        attachment_access.register(Renovation, hooks.can_view_files)
        attachment_access.register(Inspection, hooks.can_view_inspection_photos)
        navigation.register_panel(hooks.desk_panels)
        navigation.register_related(hooks.tenant_renovations)
        hooks.register_navigation()
        grants.register_area(hooks.PORTAL_AREA, _("Renovations"))
        labels.register_data(
            {
                "granted": _("Granted period"),
                "bill": _("Bill"),
                "deposit": _("Deposit"),
                "deposit_from_move_in": _("Deposit paid at move-in counted"),
                "department": (_("Department"), _department_label),
                "passes": _("Worker passes"),
                "items": _("Items"),
                "defect_period_ends": _("Defect period ends"),
                "billed": _("Billed above the deposit"),
                "forfeited_passes": _("Pass deposits forfeited"),
                "violation": (_("Violation"), _yes_no),
                "previous_end": _("Granted until (before)"),
                "new_end": _("Extended until"),
                "months": _("Months added"),
                "permit": _("Permit"),
                "corrected_by": (_("Corrected by"), _corrected_by),
            }
        )
