"""Document kinds. A domain app registers each kind it issues (in its AppConfig.ready).

A kind also declares what happens to its paper at a door or gate: which fields the public
verify page shows (and how each is masked), whether the paper is good for one use only, the
actions a guard may take on it, and the hooks into the source record's workflow. The kernel
knows no domain app: the hooks are the app's own functions (callables or dotted paths,
imported when first called so that a kind module need not import its app's services).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .masking import shown

# A hook is a callable or the dotted path of one.
Hook = Callable[..., Any] | str | None


@dataclass(frozen=True)
class GateAction:
    """A button on the verify page for a guard.

    ``uses`` consumes the paper: a single-use document becomes used, compare-and-swap, so of
    two guards scanning at once exactly one records the passage. ``needs_reason`` requires a
    reason (refusals). ``ticks_items`` shows the paper's ``data["items"]`` as checkboxes that
    must all be ticked (a release note's goods). ``on_valid_only``: offered only while the
    verdict is valid (a refusal can be recorded whatever the verdict). ``takes_photo``: the
    guard may add a photo, attached to the paper's source record (kind ``gate_photo``).
    """

    code: str
    label: Any
    style: str = "primary"
    uses: bool = False
    needs_reason: bool = False
    ticks_items: bool = False
    on_valid_only: bool = True
    # An optional photo taken at the gate (the goods on the lorry), attached to the source record.
    takes_photo: bool = False


# The actions a kind picks from; a kind may declare its own with other labels.
RECORD_CHECK = GateAction("check", _("Checked: let through"), style="success")
RECORD_PASSAGE = GateAction("use", _("Record passage"), style="success", uses=True)
TICK_ITEMS = GateAction("tick", _("Items checked: let through"), style="success", uses=True, ticks_items=True)
REFUSE = GateAction("refuse", _("Refuse"), style="danger", needs_reason=True, on_valid_only=False)
# Papers posted at a work site (hot work, temporary power): a patrol's check, nobody passes.
SPOT_CHECK = GateAction("check", _("Site checked: in order"), style="success")
FAULT_FOUND = GateAction("refuse", _("Fault found"), style="danger", needs_reason=True, on_valid_only=False)


@dataclass(frozen=True)
class DocumentKind:
    code: str  # stored on Document.kind, e.g. "premises_certificate"
    prefix: str  # number prefix, e.g. "CM" -> CM-2026-00001
    title: Any  # lazy translated title printed on the paper and the verify page
    template: str  # PDF template
    build_data: Callable[[Any], dict]  # the printed data, copied onto the document at issue
    # (data key, label) or (data key, label, mask) triples the public verify page may show:
    # never more than the paper shows, personal data masked (see masking.py).
    verify_fields: tuple[tuple, ...] = field(default_factory=tuple)
    single_use: bool = False  # the default for documents of this kind; document_issue may override
    gate_actions: tuple[GateAction, ...] = field(default_factory=tuple)
    # Hooks into the source record's workflow, run inside the same transaction as the change
    # of the document: on_use(document, by, data), on_refuse(document, by, reason),
    # revoke(document, by, reason) (the record's own revoke service, which revokes the document).
    on_use: Hook = None
    on_refuse: Hook = None
    revoke: Hook = None
    # pdf_context(document) -> dict: more for the PDF template than the frozen data (a badge's
    # photo, read from the record's attachment when rendering).
    pdf_context: Hook = None
    # guard_details(document) -> dict: what a logged-in guard sees besides the public fields,
    # e.g. {"photo_url": ..., "fields": [(label, value), ...]} (a worker's photo and full name
    # to compare with the face at the gate). Never shown on the public page.
    guard_details: Hook = None

    def fields_for_verify(self, data: dict) -> list[tuple[Any, str]]:
        """(label, masked value) pairs of what the paper shows, for the public page."""
        shown_fields = []
        for key, label, *rest in self.verify_fields:
            mask = rest[0] if rest else shown
            value = data.get(key, "")
            shown_fields.append((label, mask(str(value)) if value not in (None, "") else ""))
        return shown_fields

    def gate_action(self, code: str) -> GateAction | None:
        return next((a for a in self.gate_actions if a.code == code), None)

    def hook(self, name: str) -> Callable[..., Any] | None:
        target = getattr(self, name)
        return import_string(target) if isinstance(target, str) else target


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """For tests that declare a kind of their own."""
    _kinds.pop(code, None)


def get(code: str) -> DocumentKind:
    return _kinds[code]


def find(code: str) -> DocumentKind | None:
    return _kinds.get(code)


def choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.title)) for k in _kinds.values()]


def revocable_kinds() -> list[str]:
    """Kinds whose record's workflow can revoke their documents (the admin's action uses it)."""
    return [k.code for k in _kinds.values() if k.revoke]
