"""The verify page for a guard (the kind's gate actions) and the gate page (/gate/)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents import services
from jinyuan.documents.models import Document, GateCheck
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page(client, doc, **post):
    url = reverse("verify", args=[doc.code])
    if post:
        return client.post(url, post, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def cert_doc(make_certificate) -> Document:
    return make_certificate("issued").document


# --- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["guard", "supervisor"])
def test_a_guard_sees_the_kinds_actions(who, persona, client_for, cert_doc):
    response = page(client_for(persona(who)), cert_doc)
    assert response.status_code == 200
    assert [a.code for a in response.context["actions"]] == ["check", "refuse"]
    html = response.content.decode()
    assert 'value="check"' in html and "btn-lg" in html


@pytest.mark.parametrize("who", ["anonymous", "desk", "engineer", "tenant_a_admin"])
def test_everyone_else_sees_the_public_page_only(who, persona, client_for, cert_doc):
    response = page(client_for(persona(who)), cert_doc)
    assert response.status_code == 200
    assert "actions" not in response.context
    assert 'name="action"' not in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "desk", "tenant_a_admin"])
def test_a_gate_action_posted_by_anyone_else_is_refused_and_records_nothing(who, persona, client_for, cert_doc):
    response = client_for(persona(who)).post(reverse("verify", args=[cert_doc.code]), {"action": "check"})
    assert response.status_code == 404
    assert not GateCheck.objects.exists()


def test_personal_data_on_the_public_page_is_masked(client_for, issue_pass):
    doc = issue_pass()
    html = page(client_for(None), doc).content.decode()
    assert "王*明" in html and "138****0001" in html
    for secret in ["王小明", "13800000001", "450102199001011234", "1234"]:
        assert secret not in html, secret


# --- actions --------------------------------------------------------------------------------------


def test_recording_a_check_is_logged_for_the_day(client_for, guard, cert_doc):
    response = page(client_for(guard), cert_doc, action="check")
    assert response.status_code == 200
    check = GateCheck.objects.get()
    assert (check.document, check.by, check.action, check.result, check.verdict) == (
        cert_doc,
        guard,
        "check",
        "done",
        "valid",
    )
    assert [c.pk for c in response.context["checks"]] == [check.pk]


def test_a_refusal_needs_a_reason_beside_the_field(client_for, guard, cert_doc):
    response = client_for(guard).post(
        reverse("verify", args=[cert_doc.code]), {"action": "refuse", "reason": "  "}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    assert 'class="invalid-feedback' in response.content.decode()
    assert not GateCheck.objects.exists()


def test_a_refusal_with_a_reason_is_logged_and_told_to_the_record(client_for, guard, issue_pass):
    doc = issue_pass()
    page(client_for(guard), doc, action="refuse", reason="证件与本人不符")
    check = GateCheck.objects.get()
    assert (check.result, check.note) == ("refused", "证件与本人不符")
    assert AuditEvent.objects.filter(action="testpass.refused", note="证件与本人不符").count() == 1
    doc.refresh_from_db()
    assert doc.status == "valid"


def test_using_a_single_use_pass_then_a_second_use_is_refused_clearly(client_for, guard, issue_pass):
    doc = issue_pass()
    client = client_for(guard)
    first = page(client, doc, action="use")
    doc.refresh_from_db()
    assert doc.status == "used" and first.context["verdict"] == "used"
    assert AuditEvent.objects.filter(action="testpass.used").count() == 1
    # The page no longer offers the use; a stale page posting it again is refused with the reason.
    assert [a.code for a in first.context["actions"]] == ["refuse"]
    second = page(client, doc, action="use")
    assert "Refused: this document was already used" in second.content.decode()
    assert list(GateCheck.objects.order_by("id").values_list("result", flat=True)) == ["done", "refused"]
    assert AuditEvent.objects.filter(action="document.used", object_id=doc.pk).count() == 1


def test_ticking_items_needs_every_item(client_for, guard, issue_pass):
    doc = issue_pass()
    client = client_for(guard)
    response = client.post(
        reverse("verify", args=[doc.code]), {"action": "tick", "item": ["0"]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Tick every item" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == "valid"
    page(client, doc, action="tick", item=["0", "1"])
    doc.refresh_from_db()
    assert doc.status == "used"


@pytest.mark.parametrize(
    ("window", "verdict", "message"),
    [
        ({"valid_from": timedelta(hours=2), "valid_until": timedelta(days=1)}, "not_yet_valid", "valid only from"),
        ({"valid_from": timedelta(days=-2), "valid_until": timedelta(hours=-1)}, "expired", "expired at"),
    ],
)
def test_a_pass_outside_its_window_cannot_be_used(window, verdict, message, guard, issue_pass):
    now = timezone.now()
    doc = issue_pass(**{k: now + v for k, v in window.items()})
    with pytest.raises(TransitionRefused, match=message):
        services.gate_check(document=doc, action="use", by=guard)
    doc.refresh_from_db()
    assert doc.status == "valid"
    assert GateCheck.objects.get().verdict == verdict


def test_the_verdict_is_computed_at_the_time_asked(issue_pass):
    now = timezone.now()
    doc = issue_pass(valid_from=now + timedelta(hours=1), valid_until=now + timedelta(hours=2))
    assert doc.verdict_at(now) == "not_yet_valid"
    assert doc.verdict_at(now + timedelta(hours=1)) == "valid"
    assert doc.verdict_at(now + timedelta(hours=2)) == "expired"


def test_the_verdict_order_revoked_before_used_before_suspended(issue_pass, supervisor, guard):
    doc = issue_pass()
    services.document_suspend(document=doc, by=supervisor, reason="停工")
    later = timezone.now() + timedelta(days=5)  # also expired by then
    assert doc.verdict_at(later) == "suspended"
    services.document_resume(document=doc, by=supervisor)
    services.document_use(document=doc, by=guard)
    assert doc.verdict_at(later) == "used"
    Document.objects.filter(pk=doc.pk).update(status="revoked")
    doc.refresh_from_db()
    assert doc.verdict_at(later) == "revoked"


def test_a_suspended_pass_cannot_be_used_until_resumed(issue_pass, supervisor, guard):
    doc = issue_pass()
    services.document_suspend(document=doc, by=supervisor, reason="停工整改")
    with pytest.raises(TransitionRefused, match="suspended"):
        services.gate_check(document=doc, action="use", by=guard)
    with pytest.raises(TransitionRefused):
        services.document_suspend(document=doc, by=supervisor, reason="again")
    services.document_resume(document=doc, by=supervisor)
    services.gate_check(document=doc, action="use", by=guard)
    doc.refresh_from_db()
    assert doc.status == "used"
    actions = list(
        AuditEvent.objects.filter(object_id=doc.pk, action__startswith="document.").values_list("action", flat=True)
    )
    assert actions == ["document.issued", "document.suspended", "document.resumed", "document.used"]


def test_an_action_the_kind_does_not_declare_is_refused(guard, cert_doc):
    with pytest.raises(TransitionRefused):
        services.gate_check(document=cert_doc, action="use", by=guard)
    cert_doc.refresh_from_db()
    assert cert_doc.status == "valid"


# --- the gate page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("desk", 403), ("tenant_a_admin", 403), ("guard", 200), ("supervisor", 200)]
)
def test_the_gate_page_is_for_security_and_supervisors(who, status, persona, client_for):
    assert client_for(persona(who)).get(reverse("gate")).status_code == status


def test_a_code_typed_by_hand_leads_to_its_page(client_for, guard, cert_doc):
    typed = " " + "-".join(cert_doc.code[i : i + 4] for i in range(0, 16, 4)).lower() + " "
    response = client_for(guard).get(reverse("gate"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify", args=[cert_doc.code])


@pytest.mark.parametrize(
    ("typed", "error"), [("12345", "16 letters and digits"), ("7K3Q9XMB2C4D6F8H", "No document has this code")]
)
def test_a_wrong_code_is_told_beside_the_field(typed, error, client_for, guard, cert_doc):
    response = client_for(guard).get(reverse("gate"), {"code": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert error in response.content.decode()


def test_the_gate_page_lists_todays_checks_only(client_for, guard, cert_doc):
    today = services.gate_check(document=cert_doc, action="check", by=guard)
    yesterday = services.gate_check(document=cert_doc, action="check", by=guard, now=timezone.now() - timedelta(days=1))
    response = client_for(guard).get(reverse("gate"))
    listed = [c.pk for c in response.context["checks"]]
    assert today.pk in listed and yesterday.pk not in listed


def test_the_desk_navigation_shows_the_gate_to_guards_only(client_for, guard, desk):
    gate = reverse("gate")
    assert f'href="{gate}"' in client_for(guard).get(reverse("desk:home")).content.decode()
    assert f'href="{gate}"' not in client_for(desk).get(reverse("desk:home")).content.decode()


# --- query counts ---------------------------------------------------------------------------------


@pytest.fixture
def anonymous_():
    """No one logged in, for the query-count cases (querycount looks personas up by fixture name)."""
    return None


def _checks_of_cert(ctx, n):
    for _ in range(n):
        GateCheck.objects.create(
            document=ctx["cert"].document, by=ctx["desk"], action="check", result="done", verdict="valid"
        )


CASES = {
    "verify-as-guard": Case("guard", lambda c: reverse("verify", args=[c["cert"].document.code]), _checks_of_cert, 4),
    "verify-anonymous": Case(
        "anonymous_", lambda c: reverse("verify", args=[c["cert"].document.code]), _checks_of_cert, 1
    ),
    "gate-todays-checks": Case("guard", lambda c: reverse("gate"), _checks_of_cert, 4),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
