"""What permits adds to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import STAFF_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import selectors
from .models import PremisesCertificate, WorkerPass

# Worker passes belong to the tenant's renovations: the portal area renovation registers.
RENOVATION_AREA = "renovation"


# Who sees a worker's whole ID number (desk pages and the admin); everyone else, and every
# export, sees it masked.
WHOLE_ID_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR, Role.SECURITY)


def shows_whole_id(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(*WHOLE_ID_ROLES))


def can_view_pass_files(user: Any, worker_pass: Any) -> bool:
    """A worker's photo: any staff role (the guard compares it with the face at the gate), or
    the company's members who may open its renovations."""
    return staff_or_member_with(user, worker_pass, RENOVATION_AREA)


def staff_or_member_with(user: Any, record: Any, area: str) -> bool:
    """Files on a tenant's record: any staff role, or the company's members who may open ``area``."""
    from tenants import grants

    if user.has_role(*STAFF_ROLES):
        return True
    return grants.member_may_open(user, record.tenant_id, area)


def desk_panels(user: Any) -> list[Panel]:
    counts = selectors.waiting_counts(user)
    url = reverse("desk:permits:certificate_list")
    panels = [
        Panel(_("Certificate requests to check"), counts["submitted"], f"{url}?status=submitted", "warning"),
    ]
    if user.has_role(Role.SUPERVISOR):
        panels.append(Panel(_("Certificates to approve"), counts["checked"], f"{url}?status=checked", "danger"))
    return panels


def tenant_certificates(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{c.document.number if c.document else _('Request')} · {c.unit.number} · {c.purpose_text}",
            url=reverse("desk:permits:certificate_detail", args=[c.pk]),
            status=c.get_status_display(),
            when=c.created_at,
        )
        for c in selectors.certificates_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=PremisesCertificate._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:certificate_list") + f"?q={tenant.name}",
    )


def certificates_waiting() -> int:
    """Requests waiting for the desk's check or the supervisor's approval."""
    counts = selectors.waiting_counts(None)
    return counts["submitted"] + counts["checked"]


def register_navigation() -> None:
    nav.register_desk(
        nav.DeskEntry(_("Premises certificates"), "desk:permits:certificate_list", nav.TENANT_SERVICES, order=30),
    )
    nav.register_portal(nav.PortalEntry(_("Premises certificates"), "portal:permits:certificate_list", order=30))
    nav.register_desk(
        nav.DeskEntry(_("Worker passes"), "desk:permits:worker_pass_list", nav.TENANT_SERVICES, order=45),
    )
    nav.register_portal(nav.PortalEntry(_("Worker passes"), "portal:permits:worker_pass_list", order=45))
    nav.register_quick_link(
        nav.QuickLink(_("Our premises certificates"), "portal:permits:certificate_list", "list-check", order=20),
        nav.QuickLink(
            _("Request a premises certificate"), "portal:permits:certificate_new", "file-earmark-check", order=30
        ),
    )
    nav.register_figure(
        nav.Figure(
            "certificates_waiting",
            _("Certificates waiting"),
            certificates_waiting,
            order=60,
            url="desk:permits:certificate_list",
            section=_("Waiting"),
        )
    )
    nav.register_work(
        nav.Work(
            PremisesCertificate,
            PremisesCertificate._meta.verbose_name_plural,
            "desk:permits:certificate_list",
            order=30,
        )
    )
    nav.register_log_events(
        "permits",
        label=PremisesCertificate._meta.verbose_name_plural,
        codes=("certificate.approved", "certificate.revoked"),
    )
    nav.register_log_events(
        "worker_passes",
        label=WorkerPass._meta.verbose_name_plural,
        codes=("worker_pass.issued", "worker_pass.lost", "worker_pass.reissued", "worker_pass.returned"),
    )


# --- release notes 大件物品放行条 -------------------------------------------------------------------


def can_view_release_note_files(user: Any, note: Any) -> bool:
    """Photos guards took at the exit: staff, or the company's members who open its notes."""
    from .models import RELEASE_NOTE_AREA

    return staff_or_member_with(user, note, RELEASE_NOTE_AREA)


def release_note_panels(user: Any) -> list[Panel]:
    """Notes waiting for the desk's decision (the ones due today or earlier first in words)."""
    if not user.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
        return []
    url = reverse("desk:permits:release_note_list")
    return [
        Panel(_("Release notes to approve"), selectors.release_notes_waiting(), f"{url}?status=submitted", "warning")
    ]


def tenant_release_notes(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=str(_("New release note for this company")),
            url=reverse("desk:permits:release_note_new", args=[tenant.pk]),
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{n.document.number if n.document else _('Application')} · {n.date:%Y-%m-%d} · {n.vehicle_plate}",
            url=reverse("desk:permits:release_note_detail", args=[n.pk]),
            status=n.get_status_display(),
            when=n.created_at,
        )
        for n in selectors.release_notes_of(tenant)[:10]
    ]
    from urllib.parse import urlencode

    return RelatedPanel(
        title=_("Release notes"),
        rows=rows,
        list_url=reverse("desk:permits:release_note_list") + "?" + urlencode({"q": tenant.name}),
    )


def move_out_release_note(move_out: Any):
    """The move-out checklist's "release note for the move": a note the center issued for
    this move-out (not required: some companies leave their furniture), with a link to write one."""
    from tenants.checklists import ItemState

    from .models import ReleaseNote

    notes = list(
        ReleaseNote.objects.filter(move_out_id=move_out.pk)
        .exclude(status__in=(ReleaseNote.Status.REVOKED, ReleaseNote.Status.REFUSED, ReleaseNote.Status.EXPIRED))
        .select_related("document")
        .order_by("date", "pk")
    )
    new_url = reverse("desk:permits:release_note_new", args=[move_out.tenant_id]) + f"?move_out={move_out.pk}"
    if notes:
        detail = "；".join(f"{n} · {n.date:%Y-%m-%d} · {n.get_status_display()}" for n in notes)
        return ItemState(True, detail, action_url=new_url, action_label=str(_("Another release note")))
    return ItemState(False, action_url=new_url, action_label=str(_("Create the release note")))


def register_release_notes() -> None:
    from tenants import checklists, grants
    from tenants.checklists import ChecklistItem

    from .models import RELEASE_NOTE_AREA, ReleaseNote

    grants.register_area(RELEASE_NOTE_AREA, _("Large-item release notes"))
    checklists.register(
        checklists.MOVE_OUT,
        ChecklistItem("release_note", _("Release note for the move"), 25, move_out_release_note, required=False),
    )
    nav.register_desk(
        nav.DeskEntry(_("Release notes"), "desk:permits:release_note_list", nav.TENANT_SERVICES, order=47),
    )
    nav.register_portal(nav.PortalEntry(_("Release notes"), "portal:permits:release_note_list", order=47))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for a release note"), "portal:permits:release_note_new", "box-arrow-right", order=40),
    )
    nav.register_figure(
        nav.Figure(
            "release_notes_waiting",
            _("Release notes waiting"),
            selectors.release_notes_waiting,
            order=62,
            url="desk:permits:release_note_list",
            query="status=submitted",
            section=_("Waiting"),
        )
    )
    nav.register_panel(release_note_panels)
    nav.register_related(tenant_release_notes, roles=(Role.FRONT_DESK, Role.SUPERVISOR))
    nav.register_log_events(
        "release_notes",
        label=ReleaseNote._meta.verbose_name_plural,
        codes=("release_note.approved", "release_note.released", "release_note.refused", "release_note.revoked"),
    )
