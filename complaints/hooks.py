"""What complaints add to the kernel's and tenants' registries (called from ComplaintsConfig.ready):
the portal area, attachment kinds and access, deadline recipients, the return visit's hook,
labels of the events' data. Menus and panels come with the pages."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.attachments.models import register_kinds
    from jinyuan.followups.hooks import on_dissatisfied
    from jinyuan.followups.selectors import register_record_queryset
    from jinyuan.workflow import labels
    from jinyuan.workflow.deadlines import register_recipients
    from tenants import grants

    from .models import COMPLAINTS_AREA, HANDLERS_TO_REMIND, Complaint, Department
    from .selectors import can_view_files, handlers_to_remind
    from .services import EVIDENCE, reopen_after_visit

    grants.register_area(COMPLAINTS_AREA, _("Complaints"))
    attachment_access.register(Complaint, can_view_files)
    register_kinds(Complaint, [(EVIDENCE, _("Evidence from the complainant"))])
    register_recipients(HANDLERS_TO_REMIND, handlers_to_remind)
    register_record_queryset(Complaint, lambda: Complaint.objects.select_related("tenant"))
    # 不满意 on a return visit reopens the complaint (counted), in the visit's transaction.
    on_dissatisfied(Complaint, reopen_after_visit)
    # Keys of their own: "department" is renovation's (inspections), with its own labels.
    labels.register_data(
        {
            "handling_department": (_("Department"), lambda code: str(dict(Department.choices).get(code, code))),
            "handled_by": _("Handled by"),
            "reply_via": (_("Reply sent"), lambda code: str(dict(Complaint.ReplyVia.choices).get(code, code))),
            "validity": (_("Validity"), lambda code: str(dict(Complaint.Validity.choices).get(code, code))),
            "edited": (_("Wording changed by the supervisor"), lambda v: str(_("Yes") if v else _("No"))),
        }
    )
