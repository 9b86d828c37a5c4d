"""Fixed query counts of the announcement pages with 1 and with 30 rows: the register, the
detail (its timeline and reads), the unread list, the portal's list and one announcement
(see tests/querycount.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import Announcement, AnnouncementReceipt
from jinyuan.workflow.services import record_event
from tests import factories
from tests.frontdesk.notice_data import draft, published
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, tenant_b):
    desk, supervisor = query_ctx["desk"], query_ctx["supervisor"]
    obj = published(desk, supervisor)
    return {**query_ctx, "announcement": obj, "made": 0}


def announcements(ctx, n):
    """Published ones to every company (tenant A's portal lists them); every third urgent."""
    for i in range(n):
        published(ctx["desk"], ctx["supervisor"], title=f"通知{i}", urgent=i % 3 == 0)


def timeline_and_reads(ctx, n):
    obj = ctx["announcement"]
    for i in range(n):
        record_event(obj, "announcement.note", by=ctx["desk"], note=f"备注{i}")
    unread_companies(ctx, n, read=True)


def unread_companies(ctx, n, read=False):
    """Companies addressed by the announcement (receipts as publishing makes them), each with a
    contact phone; read ones have a first reader."""
    obj = ctx["announcement"]
    for _ in range(n):
        ctx["made"] += 1
        tenant = factories.TenantFactory(name=f"测试公司{ctx['made']:03d}")
        factories.ContactFactory(tenant=tenant, name="联系人", phone=f"1387711{ctx['made']:04d}", is_primary=True)
        AnnouncementReceipt.objects.create(
            announcement=obj,
            tenant=tenant,
            first_read_at=timezone.now() if read else None,
            first_reader=ctx["tenant_a_admin"] if read else None,
        )
    Announcement.objects.filter(pk=obj.pk).update(
        addressed_count=obj.receipts.count(), read_count=obj.receipts.filter(first_read_at__isnull=False).count()
    )


def attachments(ctx, n):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jinyuan.attachments.services import attachment_add

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for i in range(n):
        attachment_add(
            record=ctx["announcement"], upload=SimpleUploadedFile(f"f{i}.pdf", pdf), by=ctx["desk"], label=f"附件{i}"
        )


def drafts(ctx, n):
    for i in range(n):
        draft(ctx["desk"], title=f"草稿{i}")


def detail(view):
    return lambda c: reverse(view, args=[c["announcement"].pk])


CASES = {
    "desk_list": Case("desk", lambda c: reverse("desk:frontdesk:announcement_list"), announcements, 4),
    # 7: with the emergencies linked to it (frontdesk/section_links.py).
    "desk_detail": Case("desk", detail("desk:frontdesk:announcement_detail"), timeline_and_reads, 7),
    "desk_detail_files": Case("desk", detail("desk:frontdesk:announcement_detail"), attachments, 7),
    "desk_unread": Case("desk", detail("desk:frontdesk:announcement_unread"), unread_companies, 4),
    "portal_list": Case("tenant_a_admin", lambda c: reverse("portal:frontdesk:announcement_list"), announcements, 5),
    "portal_detail": Case("tenant_a_admin", detail("portal:frontdesk:announcement_detail"), attachments, 8),
    "admin": Case("superuser", admin_changelist("frontdesk.Announcement"), drafts, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_fixed_queries(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
