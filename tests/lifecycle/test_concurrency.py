"""Two clicks at once on PostgreSQL (threads released by a barrier): a move-in is confirmed once,
first charges and a damage charge are billed once, a signboard fee is billed once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from billing.checklist import bill_first_charges
from billing.models import Bill
from jinyuan.documents import tasks as document_tasks
from jinyuan.workflow.services import TransitionRefused
from tenants import services
from tenants.models import Membership, MoveIn, MoveOut, MoveOutUnit, Occupancy, Signboard
from tests.concurrency import run_at_once
from tests.lifecycle.helpers import INVITE_LINK, board_for

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    class Quiet:
        @staticmethod
        def delay_on_commit(*args, **kwargs):
            return None

    monkeypatch.setattr(document_tasks, "render_document_pdf", Quiet)


def test_twenty_confirmations_of_one_move_in_confirm_it_once(ready_move_in, supervisor):
    mail.outbox = []

    def confirm(i, move_in):
        services.movein_confirm(obj=move_in, by=supervisor)
        return "confirmed"

    results = run_at_once(20, lambda i: MoveIn.objects.get(pk=ready_move_in.pk), confirm)

    assert results.count("confirmed") == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r != "confirmed"), results
    tenant = ready_move_in.tenant
    assert Occupancy.objects.filter(tenant=tenant).count() == 2
    assert Membership.objects.filter(tenant=tenant).count() == 1
    assert len([m for m in mail.outbox if INVITE_LINK.search(m.body)]) == 1


def test_ten_clicks_on_bill_first_charges_issue_one_bill(move_in, desk):
    def bill(i, obj):
        return bill_first_charges(move_in=obj, by=desk)

    results = run_at_once(10, lambda i: MoveIn.objects.get(pk=move_in.pk), bill)

    assert sum(isinstance(r, Bill) for r in results) == 1, results
    assert all(isinstance(r, (Bill, TransitionRefused)) for r in results), results
    assert Bill.objects.filter(source_key=f"movein:{move_in.pk}").count() == 1


def test_ten_submissions_of_a_damage_inspection_bill_the_damage_once(tenant_a, tenant_a_admin, desk, price_list):
    move_out = services.moveout_open(
        tenant=tenant_a, planned_date=timezone.localdate() + timedelta(days=9), by=tenant_a_admin
    )
    row_pk = move_out.units.get().pk

    def inspect(i, row):
        services.moveout_record_inspection(
            row=row, water=10, electricity=20, damage="门锁损坏", damage_charge=300, by=desk
        )
        return "inspected"

    results = run_at_once(10, lambda i: MoveOutUnit.objects.select_related("move_out", "unit").get(pk=row_pk), inspect)

    assert results.count("inspected") == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r != "inspected"), results
    assert Bill.objects.filter(source_key=f"moveout-damage:{row_pk}").count() == 1
    assert MoveOut.objects.get(pk=move_out.pk).status == "open"


def test_twenty_approvals_of_one_signboard_bill_its_fee_once(tenant_a, desk, price_list):
    board = board_for(tenant_a, desk)

    def approve(i, obj):
        services.signboard_approve(obj=obj, by=desk)
        return "approved"

    results = run_at_once(20, lambda i: Signboard.objects.get(pk=board.pk), approve)

    assert results.count("approved") == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r != "approved"), results
    assert Signboard.objects.get(pk=board.pk).status == "approved"
    assert Bill.objects.filter(source_key=f"signboard:{board.pk}").count() == 1
