"""A record's state as a badge: text plus an icon, never colour alone (.badge-state-<tone> in
app.css keeps AA contrast). A builtin (settings.TEMPLATES ``builtins``): ``{% status_badge
bill.status bill.get_status_display %}``.

Written in Python rather than as an included partial: a register shows one per row, and an
include with its ``with`` blocks cost a 25-row page about 2 ms.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# tone -> (icon, the states that read so); states not listed are still open (waiting on someone).
TONES = {
    "ok": ("check-circle-fill", ("issued", "valid", "approved", "done", "paid", "completed", "confirmed", "installed")),
    "bad": ("x-octagon-fill", ("rejected", "revoked", "void")),
    "off": ("dash-circle", ("returned", "withdrawn", "expired", "used", "cancelled", "removed")),
}
OPEN = ("open", "hourglass-split")
BADGE = (
    '<span class="badge status-badge badge-state-{} badge-state-{}">'
    '<i class="bi bi-{}" aria-hidden="true"></i> {}</span>'
)
TONE_OF = {state: (tone, icon) for tone, (icon, states) in TONES.items() for state in states}
# Release notes (issue 9): goods released are done; goods refused at the exit are a refusal.
TONE_OF |= {"released": ("ok", TONES["ok"][0]), "refused": ("bad", TONES["bad"][0])}
# Monthly service reports (complaints): signed off by the supervisor is done.
TONE_OF |= {"signed": ("ok", TONES["ok"][0])}


@register.simple_tag
def status_badge(status: str, label: str) -> SafeString:
    tone, icon = TONE_OF.get(status, OPEN)
    return format_html(BADGE, tone, status, icon, label)
