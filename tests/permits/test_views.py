"""Premises certificates through the pages: the portal request form, action buttons, PDFs, lists."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from permits.models import PremisesCertificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW = reverse("portal:permits:certificate_new")


def desk_url(cert) -> str:
    return reverse("desk:permits:certificate_detail", args=[cert.pk])


def portal_url(cert) -> str:
    return reverse("portal:permits:certificate_detail", args=[cert.pk])


@pytest.fixture
def admin_client(client_for, tenant_a_admin):
    return client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en")


# --- portal: request form ------------------------------------------------------------------------


def test_request_form_offers_only_the_companys_current_units(admin_client, unit_a, unit_b):
    response = admin_client.get(NEW)
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [unit_a]
    assert "1502" not in response.content.decode()


def test_valid_request_creates_a_certificate_and_shows_it(admin_client, tenant_a, unit_a, tenant_a_admin):
    response = admin_client.post(NEW, {"unit": unit_a.pk, "purpose": "tax", "purpose_detail": "", "copies": "2"})
    cert = PremisesCertificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == portal_url(cert)
    assert (cert.tenant, cert.unit, cert.purpose, cert.copies, cert.applicant) == (
        tenant_a,
        unit_a,
        "tax",
        2,
        tenant_a_admin,
    )
    page = admin_client.get(response["Location"])
    assert "Your request has been sent to the service center." in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"purpose": "tax", "copies": "1"}, "unit", "This field is required."),
        ({"unit": "", "purpose": "tax", "copies": "1"}, "unit", "This field is required."),
        ({"unit": "UNIT_B", "purpose": "tax", "copies": "1"}, "unit", "Choose one of the units your company occupies."),
        ({"unit": "999999", "purpose": "tax", "copies": "1"}, "unit", "Choose one of the units your company occupies."),
        ({"unit": "abc", "purpose": "tax", "copies": "1"}, "unit", "Choose one of the units your company occupies."),
        ({"unit": "UNIT_A", "purpose": "other", "copies": "1"}, "purpose_detail", "Please describe the purpose."),
        (
            {"unit": "UNIT_A", "purpose": "other", "purpose_detail": "   ", "copies": "1"},
            "purpose_detail",
            "Please describe the purpose.",
        ),
        ({"unit": "UNIT_A", "purpose": "bribe", "copies": "1"}, "purpose", None),
        ({"unit": "UNIT_A", "purpose": "tax", "copies": "0"}, "copies", "greater than or equal to 1"),
        ({"unit": "UNIT_A", "purpose": "tax", "copies": "6"}, "copies", "less than or equal to 5"),
        ({"unit": "UNIT_A", "purpose": "tax", "copies": "abc"}, "copies", "Enter a whole number."),
        ({"unit": "UNIT_A", "purpose": "tax", "copies": ""}, "copies", "This field is required."),
        ({"unit": "UNIT_A", "purpose": "tax", "copies": "1", "purpose_detail": "x" * 201}, "purpose_detail", "200"),
    ],
)
def test_bad_request_input_gives_field_errors_and_creates_nothing(
    admin_client, unit_a, unit_b, tenant_b, data, field, message
):
    data = {k: {"UNIT_A": unit_a.pk, "UNIT_B": unit_b.pk}.get(v, v) for k, v in data.items()}
    response = admin_client.post(NEW, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert any(message in e for e in errors[field])
        assert message in response.content.decode()
    assert not PremisesCertificate.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_tenant_staff_cannot_request_a_certificate(client_for, tenant_a_staff, unit_a, method):
    response = getattr(client_for(tenant_a_staff), method)(NEW, {"unit": unit_a.pk, "purpose": "tax", "copies": "1"})
    assert response.status_code == 403
    assert not PremisesCertificate.objects.exists()


def test_tenant_b_cannot_request_for_tenant_as_unit(client_for, tenant_b_admin, unit_a):
    response = client_for(tenant_b_admin).post(NEW, {"unit": unit_a.pk, "purpose": "tax", "copies": "1"})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not PremisesCertificate.objects.exists()


# --- portal: list, detail, PDF -------------------------------------------------------------------


def test_portal_list_shows_only_the_companys_certificates(client_for, make_certificate, tenant_a_staff, tenant_b_admin):
    own = make_certificate("submitted")
    other = make_certificate("submitted", tenant=None, unit=None, applicant=None)
    response = client_for(tenant_a_staff).get(reverse("portal:permits:certificate_list"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["object_list"]] == [own.pk]
    assert portal_url(other) not in response.content.decode()


def test_portal_list_filters_by_status(client_for, make_certificate, tenant_a_admin):
    make_certificate("submitted")
    returned = make_certificate("returned")
    response = client_for(tenant_a_admin).get(reverse("portal:permits:certificate_list"), {"status": "returned"})
    assert [c.pk for c in response.context["object_list"]] == [returned.pk]


def test_portal_detail_of_an_issued_certificate_offers_the_pdf(admin_client, make_certificate):
    cert = make_certificate("issued")
    html = admin_client.get(portal_url(cert)).content.decode()
    assert cert.document.number in html
    assert reverse("portal:permits:certificate_pdf", args=[cert.pk]) in html


def test_portal_pdf_downloads_the_certificate(admin_client, make_certificate):
    cert = make_certificate("issued")
    response = admin_client.get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"{cert.document.number}.pdf" in response["Content-Disposition"]


def test_pdf_before_issue_sends_back_to_the_detail_page(admin_client, client_for, desk, make_certificate):
    cert = make_certificate("checked")
    response = admin_client.get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    assert response.status_code == 302
    assert response["Location"] == portal_url(cert)
    response = client_for(desk).get(reverse("desk:permits:certificate_pdf", args=[cert.pk]))
    assert response["Location"] == desk_url(cert)


def test_desk_pdf_is_a_pdf(client_for, desk, make_certificate):
    cert = make_certificate("issued")
    response = client_for(desk).get(reverse("desk:permits:certificate_pdf", args=[cert.pk]))
    assert response["Content-Type"] == "application/pdf"


# --- desk: list ------------------------------------------------------------------------------------


def test_desk_list_search_and_status_filter(client_for, desk, make_certificate, tenant_a):
    issued = make_certificate("issued")
    waiting = make_certificate("submitted", tenant=None, unit=None, applicant=None)
    client = client_for(desk)

    def pks(**params):
        return {c.pk for c in client.get(reverse("desk:permits:certificate_list"), params).context["object_list"]}

    assert pks() == {issued.pk, waiting.pk}
    assert pks(status="submitted") == {waiting.pk}
    assert pks(q=issued.document.number.lower()) == {issued.pk}
    assert pks(q="甲方") == {issued.pk}
    assert pks(q="1201") == {issued.pk}
    assert pks(building=tenant_a.occupancies.get().unit.floor.building_id) == {issued.pk}


def test_desk_list_exports_the_filtered_rows(client_for, desk, make_certificate):
    from io import BytesIO

    from openpyxl import load_workbook

    issued = make_certificate("issued")
    make_certificate("submitted", tenant=None, unit=None, applicant=None)
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("desk:permits:certificate_list"), {"status": "issued", "export": "xlsx"}
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Number", "Company", "Building", "Unit", "Purpose", "Status", "Requested at")
    assert [r[:4] for r in rows[1:]] == [(issued.document.number, "广西甲方科技有限公司", "金源CBD现代城A座", "1201")]


def test_desk_home_counts_what_waits(client_for, supervisor, make_certificate):
    make_certificate("submitted")
    make_certificate("checked")
    response = client_for(supervisor).get(reverse("desk:home"))
    certificates = reverse("desk:permits:certificate_list")
    counts = {p.url.split("=")[-1]: p.count for p in response.context["panels"] if p.url.startswith(certificates)}
    assert counts == {"submitted": 1, "checked": 1}


def test_tenant_detail_lists_the_tenants_certificates(client_for, desk, make_certificate, tenant_a):
    cert = make_certificate("issued")
    html = client_for(desk).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert cert.document.number in html
    assert desk_url(cert) in html


# --- actions through the detail pages ------------------------------------------------------------


def test_desk_detail_shows_the_check_and_return_buttons(client_for, desk, make_certificate):
    cert = make_certificate("submitted")
    response = client_for(desk).get(desk_url(cert))
    assert {a.name for a in response.context["actions"]} == {"pass_check", "send_back"}
    assert 'value="pass_check"' in response.content.decode()


def test_desk_passes_the_check_by_button(client_for, desk, make_certificate):
    cert = make_certificate("submitted")
    response = client_for(desk).post(desk_url(cert), {"action": "pass_check"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "checked"


def test_send_back_without_a_reason_shows_a_field_error_and_changes_nothing(client_for, desk, make_certificate):
    cert = make_certificate("submitted")
    events = AuditEvent.objects.count()
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(desk_url(cert), {"action": "send_back", "note": "  "})
    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    cert.refresh_from_db()
    assert cert.status == "submitted"
    assert AuditEvent.objects.count() == events


def test_send_back_with_a_reason_by_button(client_for, desk, make_certificate):
    cert = make_certificate("submitted")
    client_for(desk).post(desk_url(cert), {"action": "send_back", "note": "缺营业执照"})
    cert.refresh_from_db()
    assert cert.status == "returned"


def test_supervisor_approves_by_button(client_for, supervisor, make_certificate):
    cert = make_certificate("checked")
    response = client_for(supervisor).post(desk_url(cert), {"action": "approve"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "issued"
    assert cert.document.number.startswith("CM-")


def test_supervisor_clicking_approve_twice_issues_once(client_for, supervisor, make_certificate):
    cert = make_certificate("checked")
    client = client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")
    client.post(desk_url(cert), {"action": "approve"})
    second = client.post(desk_url(cert), {"action": "approve"}, follow=True)
    assert second.status_code == 200
    assert "not possible in the current state" in second.content.decode()
    from jinyuan.documents.models import Document

    assert Document.objects.count() == 1


def test_tenant_admin_withdraws_by_button(client_for, tenant_a_admin, make_certificate):
    cert = make_certificate("submitted")
    response = client_for(tenant_a_admin).post(portal_url(cert), {"action": "withdraw"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "withdrawn"


def test_tenant_staff_sees_no_buttons(client_for, tenant_a_staff, make_certificate):
    cert = make_certificate("submitted")
    response = client_for(tenant_a_staff).get(portal_url(cert))
    assert response.status_code == 200
    assert response.context["actions"] == []


# --- the admin's approve action ------------------------------------------------------------------


def test_admin_action_approves_checked_and_skips_the_rest(client_for, make_certificate, supervisor):
    from tests.factories import UserFactory

    boss = UserFactory(is_staff=True, is_superuser=True, roles=["supervisor"])
    checked = make_certificate("checked")
    waiting = make_certificate("submitted", tenant=None, unit=None, applicant=None)
    response = client_for(boss).post(
        reverse("admin:permits_premisescertificate_changelist"),
        {"action": "approve_selected", "_selected_action": [checked.pk, waiting.pk]},
        follow=True,
    )
    assert response.status_code == 200
    checked.refresh_from_db()
    waiting.refresh_from_db()
    assert (checked.status, waiting.status) == ("issued", "submitted")
    assert checked.document is not None


def test_tenant_cannot_download_a_revoked_certificate(admin_client, make_certificate):
    cert = make_certificate("revoked")
    assert (
        reverse("portal:permits:certificate_pdf", args=[cert.pk])
        not in admin_client.get(portal_url(cert)).content.decode()
    )
    response = admin_client.get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    assert response.status_code in (302, 404)


# --- portal: correcting a returned request -------------------------------------------------------


def test_tenant_corrects_a_returned_request_before_resubmitting(admin_client, make_certificate, tenant_a, unit_a):
    from tests.factories import OccupancyFactory, UnitFactory

    second = UnitFactory(floor=unit_a.floor, number="1508")
    OccupancyFactory(tenant=tenant_a, unit=second)
    cert = make_certificate("returned")
    url = reverse("portal:permits:certificate_correct", args=[cert.pk])
    assert url in admin_client.get(portal_url(cert)).content.decode()
    form = admin_client.get(url).context["form"]
    assert form.initial["purpose"] == cert.purpose
    response = admin_client.post(
        url, {"unit": second.pk, "purpose": "other", "purpose_detail": "Bank of Guangxi", "copies": "3"}
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert (cert.status, cert.unit, cert.purpose, cert.purpose_detail, cert.copies) == (
        "submitted",
        second,
        "other",
        "Bank of Guangxi",
        3,
    )
    assert AuditEvent.objects.filter(object_id=cert.pk, action="certificate.resubmitted").exists()


def test_correcting_with_bad_input_shows_the_error_and_keeps_it_returned(admin_client, make_certificate):
    cert = make_certificate("returned")
    url = reverse("portal:permits:certificate_correct", args=[cert.pk])
    response = admin_client.post(url, {"unit": cert.unit.pk, "purpose": "other", "purpose_detail": "", "copies": "1"})
    assert response.status_code == 200
    assert "purpose_detail" in response.context["form"].errors
    cert.refresh_from_db()
    assert cert.status == "returned"


def test_only_a_returned_request_can_be_corrected(admin_client, make_certificate, client_for, tenant_a_staff):
    cert = make_certificate("submitted")
    url = reverse("portal:permits:certificate_correct", args=[cert.pk])
    assert admin_client.get(url)["Location"] == portal_url(cert)
    admin_client.post(url, {"unit": cert.unit.pk, "purpose": "tax", "copies": "2"})
    cert.refresh_from_db()
    assert cert.copies == 1
    assert client_for(tenant_a_staff).get(url).status_code == 403


def test_withdraw_button_asks_for_confirmation_first(admin_client, make_certificate):
    cert = make_certificate("submitted")
    html = admin_client.get(portal_url(cert)).content.decode()
    assert 'data-confirm="Withdraw this request? It cannot be sent again afterwards."' in html


def test_desk_certificate_list_shows_one_unit_label(client_for, desk, make_certificate, unit_a):
    make_certificate("submitted")
    html = client_for(desk).get(reverse("desk:permits:certificate_list")).content.decode()
    assert f">{unit_a.number}</td>" in html
    assert f"{unit_a.floor.building.code} {unit_a.number}" not in html
