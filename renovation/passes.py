"""The worker passes of a renovation, as a higher app keeps them.

Renovation never imports the app that issues worker passes 施工人员出入证 (permits): that app
registers a provider here from its ``AppConfig.ready``::

    from renovation import passes
    passes.register(WorkerPassProvider())

Without a provider a renovation has no passes: every call below does nothing and returns
zero / an empty list. Renovation calls them inside its own transactions, so a provider's
writes commit or roll back with the renovation's state change:

- ``suspend(renovation, by=, reason=)`` when works are stopped 停工 (passes stop opening the gate);
- ``restore(renovation, by=)`` when the stop is lifted (the passes suspended by it work again);
- ``void(renovation, by=, reason=)`` when the renovation ends (accepted, or closed otherwise);
- ``unreturned(renovation)`` reads which passes are still out and their pass deposits
  (shown before the refund, no writes);
- ``forfeit_unreturned(renovation, by=)`` at the deposit refund, before it: each pass still out
  forfeits its own pass deposit (the provider settles its own deposit entries) and is voided;
  the forfeited amounts are reported back and recorded in the refund's audit event.

A provider is any object with these five methods (``PassProvider``); the count methods return
how many passes they changed.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol


@dataclass(frozen=True)
class PassDeposit:
    """A worker pass still out and the pass deposit it forfeits if not returned."""

    number: str
    holder: str
    amount: Decimal


class PassProvider(Protocol):
    def suspend(self, renovation: Any, *, by: Any, reason: str) -> int: ...

    def restore(self, renovation: Any, *, by: Any) -> int: ...

    def void(self, renovation: Any, *, by: Any, reason: str) -> int: ...

    def unreturned(self, renovation: Any) -> list[PassDeposit]: ...

    def forfeit_unreturned(self, renovation: Any, *, by: Any) -> list[PassDeposit]: ...


_providers: list[PassProvider] = []


def register(provider: PassProvider) -> None:
    """Add a provider (called once per process from the providing app's ``ready``)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister(provider: PassProvider) -> None:
    """Take a provider out again (tests)."""
    if provider in _providers:
        _providers.remove(provider)


def suspend(renovation: Any, *, by: Any, reason: str) -> int:
    return sum(p.suspend(renovation, by=by, reason=reason) for p in list(_providers))


def restore(renovation: Any, *, by: Any) -> int:
    return sum(p.restore(renovation, by=by) for p in list(_providers))


def void(renovation: Any, *, by: Any, reason: str) -> int:
    return sum(p.void(renovation, by=by, reason=reason) for p in list(_providers))


def desk_links(renovation: Any) -> list[tuple[str, str]]:
    """(label, url) of the providers' pages for this renovation's passes, for its desk page
    (a provider without ``desk_link`` adds none)."""
    links = (getattr(p, "desk_link", None) for p in list(_providers))
    return [link for link in (get(renovation) for get in links if get) if link]


def unreturned(renovation: Any) -> list[PassDeposit]:
    return [d for p in list(_providers) for d in p.unreturned(renovation)]


def forfeit_unreturned(renovation: Any, *, by: Any) -> list[PassDeposit]:
    return [d for p in list(_providers) for d in p.forfeit_unreturned(renovation, by=by)]


def total(deposits: list[PassDeposit]) -> Decimal:
    return sum((d.amount for d in deposits), Decimal("0"))
