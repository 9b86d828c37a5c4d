"""Deadline checks. Domain apps register a scanner; the periodic task runs them all.

A scanner finds what is due or overdue and calls ``services.notify`` with a dedup key, so
running the scan any number of times sends each reminder once.
"""

from collections.abc import Callable

_scanners: dict[str, Callable[[], int]] = {}


def register(name: str, scanner: Callable[[], int]) -> None:
    _scanners[name] = scanner


def scan() -> int:
    return sum(scanner() for scanner in _scanners.values())
