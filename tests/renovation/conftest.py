"""Renovation fixtures: an application's fields and files, and renovations moved to a state
through the services by the personas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renovation import services
from tests.renovation.data import fields, files, renovation_in_state


@pytest.fixture
def apply(tenant_a, unit_a, tenant_a_admin):
    """``apply(**overrides)``: tenant A's application for unit A (files with ``files=``)."""

    def make(**over):
        upload = over.pop("files", None) or files()
        kwargs = {"tenant": tenant_a, "unit": unit_a, "by": tenant_a_admin, "files": upload, **fields(**over)}
        return services.renovation_apply(**kwargs)

    return make


@pytest.fixture
def make_renovation(apply, tenant_a, unit_a, tenant_a_admin, engineer, guard, supervisor, desk):
    """``make_renovation("in_works")``: tenant A's renovation of unit A moved to that state."""

    def make(state: str = "applied", **over):
        people = {"engineer": engineer, "guard": guard, "supervisor": supervisor, "desk": desk}
        return renovation_in_state(state, tenant=tenant_a, unit=unit_a, tenant_admin=tenant_a_admin, **people, **over)

    return make


@pytest.fixture
def in_works(make_renovation):
    return make_renovation("in_works", planned_start=timezone.localdate())


@pytest.fixture
def inspect(engineer):
    """``inspect(renovation, violation=True, ...)``: an engineering inspection an hour ago."""

    def make(renovation, *, by=None, violation=False, **over):
        kwargs = {
            "renovation": renovation,
            "by": by or engineer,
            "department": "engineering",
            "inspected_at": timezone.now() - timedelta(hours=1),
            "findings": "配电箱未加盖，电线裸露" if violation else "现场整洁，按图施工",
            "violation": violation,
            **over,
        }
        if violation and "reinspects" not in over:
            kwargs.setdefault("requirement", "配电箱加盖，线路穿管")
            kwargs.setdefault("due_on", timezone.localdate() + timedelta(days=3))
        return services.renovation_inspect(**kwargs)

    return make


@pytest.fixture
def passes_provider():
    """A worker-pass provider (tests.renovation.fake_passes) registered for the test."""
    from renovation import passes
    from tests.renovation.fake_passes import FakePasses

    fake = FakePasses()
    passes.register(fake)
    yield fake
    passes.unregister(fake)
