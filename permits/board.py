"""Security's board 安保看板: what burns, runs or is watched in the building today and in the
next 24 hours, phone-friendly.

Each live permit kind adds a section (``register_section``, from its hooks): a title, a
callable giving the section's rows for ``now`` in a fixed number of queries, and the template
that shows them (a table on wide screens, cards on a phone). Hot work fills the first one.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BoardSection:
    code: str
    title: Any
    rows: Callable[[dt.datetime], list]
    template: str
    order: int = 100


_sections: dict[str, BoardSection] = {}


def register_section(section: BoardSection) -> None:
    _sections[section.code] = section


def sections() -> list[BoardSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.code))


def board(now: dt.datetime) -> list[tuple[BoardSection, list]]:
    """Each section with its rows as of ``now``."""
    return [(section, section.rows(now)) for section in sections()]
