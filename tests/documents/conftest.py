"""A document kind of the tests' own: single use, with items, masked personal data and hooks
into its "record" (a tenant here), because no procedure issues such a paper yet."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jinyuan.documents import registry
from jinyuan.documents.masking import mask_name, mask_phone
from jinyuan.documents.services import document_issue
from jinyuan.workflow.services import record_event

PASS_DATA = {
    "holder": "王小明",
    "id_number": "450102199001011234",
    "phone": "13800000001",
    "items": [{"name": "办公桌", "quantity": 2}, {"name": "电脑", "quantity": 1}],
}


def _on_use(document, by, data):
    # The record's workflow: here an event on the source, so tests see the hook ran in the transaction.
    record_event(document.source, "testpass.used", by=by, data={"document": document.number})


def _on_refuse(document, by, reason):
    record_event(document.source, "testpass.refused", by=by, note=reason)


TEST_PASS = registry.DocumentKind(
    code="test_pass",
    prefix="TP",
    title="Test pass",
    template="pdf/base.html",
    build_data=lambda source: dict(PASS_DATA),
    verify_fields=(("holder", "Holder", mask_name), ("phone", "Phone", mask_phone)),
    single_use=True,
    gate_actions=(registry.TICK_ITEMS, registry.RECORD_PASSAGE, registry.REFUSE),
    on_use=_on_use,
    on_refuse=_on_refuse,
)


@pytest.fixture
def test_pass_kind():
    registry.register(TEST_PASS)
    yield TEST_PASS
    registry.unregister(TEST_PASS.code)


@pytest.fixture
def issue_pass(test_pass_kind, tenant_a, desk):
    """``issue_pass(**overrides)``: a test pass for tenant A, valid from an hour ago for a day."""

    def issue(**kwargs):
        now = timezone.now()
        defaults = {"valid_from": now - timedelta(hours=1), "valid_until": now + timedelta(days=1)}
        return document_issue(kind="test_pass", source=tenant_a, by=desk, **{**defaults, **kwargs})

    return issue
