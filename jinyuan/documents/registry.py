"""Document kinds. A domain app registers each kind it issues (in its AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentKind:
    code: str  # stored on Document.kind, e.g. "premises_certificate"
    prefix: str  # number prefix, e.g. "CM" -> CM-2026-00001
    title: Any  # lazy translated title printed on the paper and the verify page
    template: str  # PDF template
    build_data: Callable[[Any], dict]  # the printed data, copied onto the document at issue
    # (data key, label) pairs the public verify page may show: never more than the paper shows.
    verify_fields: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> DocumentKind:
    return _kinds[code]


def choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.title)) for k in _kinds.values()]
