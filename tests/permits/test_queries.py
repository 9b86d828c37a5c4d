"""Fixed query counts of the premises certificate pages (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


def own_certificates(ctx, n):
    for _ in range(n):
        ctx["make_certificate"]("issued")


def other_tenants_certificates(ctx, n):
    for _ in range(n):
        factories.make_certificate("issued", desk=ctx["desk"], supervisor=ctx["supervisor"])


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["cert"], "certificate.note", by=ctx["desk"], note=f"备注{i}")


CASES = {
    "desk-certificate-list": Case(
        "desk", lambda c: reverse("desk:permits:certificate_list"), other_tenants_certificates, 5
    ),
    "desk-certificate-detail": Case(
        "desk", lambda c: reverse("desk:permits:certificate_detail", args=[c["cert"].pk]), timeline_events, 6
    ),
    "portal-certificate-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:permits:certificate_list"), own_certificates, 5
    ),
    "portal-certificate-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:certificate_detail", args=[c["cert"].pk]),
        timeline_events,
        5,
    ),
    "admin-certificate": Case(
        "superuser", admin_changelist("permits.PremisesCertificate"), other_tenants_certificates, 8
    ),
    "admin-document": Case("superuser", admin_changelist("documents.Document"), other_tenants_certificates, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
