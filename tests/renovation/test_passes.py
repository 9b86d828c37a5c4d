"""The worker-pass interface renovation offers (renovation.passes): no provider, no passes;
a registered provider is called for its renovation only."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from renovation import passes
from tests.renovation.fake_passes import FakePasses


@pytest.fixture(autouse=True)
def _only_the_providers_of_this_file(monkeypatch):
    """The interface on its own: permits' real provider (registered by its app) stays out."""
    monkeypatch.setattr(passes, "_providers", [])


@pytest.fixture
def provider():
    fake = FakePasses()
    passes.register(fake)
    yield fake
    passes.unregister(fake)


def test_without_a_provider_a_renovation_has_no_passes():
    r = SimpleNamespace(pk=1)
    assert passes.suspend(r, by=None, reason="停工") == 0
    assert passes.restore(r, by=None) == 0
    assert passes.void(r, by=None, reason="验收") == 0
    assert passes.unreturned(r) == []
    assert passes.forfeit_unreturned(r, by=None) == []
    assert passes.total([]) == Decimal("0")


def test_a_provider_suspends_restores_and_forfeits_its_renovations_passes(provider):
    mine, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    provider.issue(mine, "张三", "200")
    returned = provider.issue(mine, "李四", "200")
    returned["state"] = "returned"
    provider.issue(other, "王五", "300")
    passes.register(provider)  # registering twice keeps one
    assert passes.suspend(mine, by=None, reason="停工") == 1
    assert [r["state"] for r in provider.passes[2]] == ["active"]
    assert passes.restore(mine, by=None) == 1
    assert [d.number for d in passes.unreturned(mine)] == ["P1-1"]
    forfeited = passes.forfeit_unreturned(mine, by=None)
    assert passes.total(forfeited) == Decimal("200")
    assert passes.unreturned(mine) == []
    assert passes.void(other, by=None, reason="验收") == 1
