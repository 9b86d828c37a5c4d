"""The signed building management log 大厦管理日志 as a document kind of the kernel: the day's
sections, the items carried forward and the supervisor's remarks, frozen at signing."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name

from .recyclables_documents import ISSUER


def log_data(log) -> dict:
    """What the PDF says: the content frozen on the log when it was signed."""
    content = log.content or {}
    return {
        "date": log.date.isoformat(),
        "sections": [s for s in content.get("sections", []) if s.get("rows")],
        "items": content.get("items", []),
        "building_remarks": log.building_remarks,
        "manager_opinion": log.manager_opinion,
        "signed_by": str(log.signed_by) if log.signed_by_id else "",
        "signed_at": timezone.localtime(log.signed_at).strftime("%Y-%m-%d %H:%M") if log.signed_at else "",
        "issuer": ISSUER,
    }


def log_kind():
    from jinyuan.documents.registry import DocumentKind

    return DocumentKind(
        code="management_log",
        prefix="RZ",
        title=_("Building management log"),
        template="frontdesk/management_log/pdf/log.html",
        build_data=log_data,
        verify_fields=(
            ("date", _("Date")),
            ("signed_by", _("Signed by"), mask_name),
            ("signed_at", _("Signed at")),
        ),
    )
