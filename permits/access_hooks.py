"""What access passes add to the kernel's and tenants' pages (registered in PermitsConfig.ready):
the portal area, menus, desk panels, the tenant page's cards, the move-out checklist item, the
move-out completion receiver and the photo's access rule."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinyuan import navigation as nav
from jinyuan.accounts.roles import Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import selectors
from .models import ACCESS_AREA, AccessPass


def can_view_files(user: Any, access_pass: AccessPass) -> bool:
    """A card holder's photo: any staff role, or the company's members who may open its cards."""
    from .hooks import staff_or_member_with

    return staff_or_member_with(user, access_pass, ACCESS_AREA)


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
        return []
    counts = selectors.access_pass_counts()
    url = reverse("desk:permits:access_pass_list")
    return [
        Panel(gettext_lazy("Access cards to approve"), counts["requested"], f"{url}?status=requested", "warning"),
        Panel(gettext_lazy("Access cards to issue"), counts["approved"], f"{url}?status=approved", "primary"),
        Panel(gettext_lazy("Access cards reported lost"), counts["lost"], f"{url}?status=lost", "danger"),
    ]


def tenant_access_passes(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{p.card_number or '#' + str(p.pk)} · {p.holder_name or _('(no name)')}",
            url=reverse("desk:permits:access_pass_detail", args=[p.pk]),
            status=p.get_status_display(),
            when=p.created_at,
        )
        for p in selectors.access_passes_of(tenant).order_by("-created_at", "-id")[:10]
    ]
    return RelatedPanel(
        title=AccessPass._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:access_pass_list") + "?" + urlencode({"q": tenant.name}),
    )


def cards_returned(move_out: Any):
    """Move-out: every card opening only floors the company leaves is returned or cancelled
    (requests for them withdrawn or refused); cards that also open a kept floor stay and lose
    the leaving floors when the move-out completes."""
    from tenants.checklists import ItemState

    from .access_passes import cards_of_move_out

    back, narrowed = cards_of_move_out(move_out)
    url = reverse("desk:permits:access_pass_list") + "?" + urlencode({"q": move_out.tenant.name})
    stays = ""
    if narrowed:
        stays = _("%(n)d cards also open floors the company keeps: the floors it leaves are removed on completion.") % {
            "n": len(narrowed)
        }
    if back:
        names = "、".join(f"{p.card_number or '#' + str(p.pk)} {p.holder_name}".strip() for p in back[:8])
        more = "…" if len(back) > 8 else ""
        detail = _("%(n)d cards still to return or cancel: %(cards)s") % {"n": len(back), "cards": names + more}
        return ItemState(
            False, "；".join(filter(None, [detail, stays])), action_url=url, action_label=_("Open the cards")
        )
    return ItemState(True, "；".join(filter(None, [_("No card of the leaving floors is out"), stays])))


def on_move_out_completed(sender: Any, move_out: Any, by: Any, **kwargs: Any) -> None:
    from .access_passes import narrow_floors_on_move_out

    narrow_floors_on_move_out(move_out, by)


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.workflow import labels
    from tenants import checklists, grants, signals

    grants.register_area(ACCESS_AREA, gettext_lazy("Access cards"))
    attachment_access.register(AccessPass, can_view_files)
    nav.register_panel(desk_panels)
    nav.register_related(tenant_access_passes)
    nav.register_desk(
        nav.DeskEntry(gettext_lazy("Access passes"), "desk:permits:access_pass_list", nav.TENANT_SERVICES, order=46),
    )
    nav.register_portal(nav.PortalEntry(gettext_lazy("Access cards"), "portal:permits:access_pass_list", order=46))
    nav.register_quick_link(
        nav.QuickLink(
            gettext_lazy("Request an access card"), "portal:permits:access_pass_new", "person-badge", order=40
        )
    )
    nav.register_log_events(
        "access_passes",
        label=AccessPass._meta.verbose_name_plural,
        codes=("access_pass.issued", "access_pass.lost", "access_pass.reissued", "access_pass.returned"),
    )
    labels.register(
        "tenant", actions={"access_passes_imported": gettext_lazy("Access cards requested from an Excel list")}
    )
    labels.register_data(
        {
            "holder": gettext_lazy("Card holder"),
            "card_type": gettext_lazy("Card type"),
            "card_number": gettext_lazy("Card number"),
            "lost_card": gettext_lazy("Lost card number"),
            "charge": gettext_lazy("Charge"),
            "asked_until": gettext_lazy("Last day asked for"),
            "valid_until": gettext_lazy("Valid until"),
            "floors": gettext_lazy("Floors"),
            "cards_handed": gettext_lazy("Access cards handed over"),
            "cards_returned": gettext_lazy("Access cards returned"),
            "handed_unknown": gettext_lazy("Returned beyond those recorded as handed over"),
            "forfeited": gettext_lazy("Deposit kept"),
            "count": gettext_lazy("Count"),
            "move_out": gettext_lazy("Move-out"),
        }
    )
    checklists.register(
        checklists.MOVE_OUT,
        checklists.ChecklistItem(
            "access_cards", gettext_lazy("Access cards of the leaving floors returned or cancelled"), 25, cards_returned
        ),
    )
    signals.move_out_completed.connect(on_move_out_completed, dispatch_uid="permits.access_passes.move_out")
    from jinyuan import privacy

    # A card holder's photo goes, and the mobile is masked, N days after the card is closed.
    privacy.register_retention(
        AccessPass, closed_at=selectors.access_passes_closed_before, scrub=selectors.scrub_access_pass
    )
