"""The monthly report: drafted once from the 1st (however often or late the task runs), its PDF
in Chinese, signed off by a supervisor only (audited), reminded on the 3rd and escalated after
the 5th, each step once; the Excel export of the figures."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints import reports, tasks
from complaints.models import ServiceReport
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from tests import factories

from .statistics_data import build_complaints, build_repairs, people

pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def draft_on(day: dt.datetime) -> int | None:
    with time_machine.travel(day, tick=False):
        return tasks.draft_monthly_report.delay().get()


def test_the_task_on_the_1st_drafts_last_months_report_once(supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = draft_on(at(2026, 12, 1, 0, 5))
    report = ServiceReport.objects.get()
    assert first == report.pk and report.month == dt.date(2026, 11, 1) and report.status == "drafted"
    # Again the same day, and late on the 2nd and the 3rd: nothing more.
    assert draft_on(at(2026, 12, 1, 1, 5)) is None
    assert draft_on(at(2026, 12, 2, 9)) is None
    assert draft_on(at(2026, 12, 3, 9)) is None
    assert ServiceReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="service_report.drafted").count() == 1
    assert Deadline.objects.filter(kind="report_sign_off", object_id=report.pk).count() == 1
    # Rendered in the background (eagerly here).
    report.refresh_from_db()
    assert report.rendered_at is not None and report.pdf.name == "reports/service/2026-11.pdf"
    with report.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_a_1st_missed_is_caught_up_on_the_next_run(supervisor):
    assert draft_on(at(2027, 1, 4, 10)) is not None
    assert ServiceReport.objects.get().month == dt.date(2026, 12, 1)


def test_the_report_keeps_the_figures_it_was_drafted_with(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a):
    p = people(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a)
    build_repairs(p)
    build_complaints(p)
    draft_on(at(2026, 12, 1, 0, 5))
    report = ServiceReport.objects.get()
    assert reports.report_figures(report).this.repairs.received == 3
    # A repair reported late for November changes the page, not the drafted report.
    with time_machine.travel(at(2026, 11, 30, 9), tick=False):
        from repairs import services

        services.report(by=desk, category=p_category(), reporter_name="李", phone="13800000000", description="灯不亮")
    report.refresh_from_db()
    assert reports.report_figures(report).this.repairs.received == 3


def p_category():
    from repairs.models import RepairCategory

    return RepairCategory.objects.get(name="水电")


def test_the_pdf_is_chinese_and_names_the_month(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a):
    p = people(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a)
    build_repairs(p)
    pdf = reports.render_statistics_pdf(dt.date(2026, 11, 1))
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "2026年11月" in text and "2026年10月" in text
    assert "月度服务统计" in text and "水电" in text and "eng2" in text


def drafted(now=None) -> ServiceReport:
    report, created = reports.service_report_draft(dt.date(2026, 11, 1), now=now or at(2026, 12, 1, 0, 5))
    assert created
    return report


def test_a_supervisor_signs_off_with_remarks_audited(supervisor, django_capture_on_commit_callbacks):
    report = drafted()
    with time_machine.travel(at(2026, 12, 4, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        reports.service_report_sign(report, by=supervisor, remarks="报修完成及时率下降，工程部需跟进。")
    report.refresh_from_db()
    assert report.status == "signed" and report.signed_by == supervisor and report.remarks.startswith("报修")
    event = AuditEvent.objects.get(action="service_report.signed", object_id=report.pk)
    assert (event.actor, event.from_state, event.to_state) == (supervisor, "drafted", "signed")
    run = Deadline.objects.get(kind="report_sign_off", object_id=report.pk)
    assert run.state == "stopped" and run.met is True
    # The PDF now carries the sign-off.
    with report.pdf.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(fh).pages)
    assert "工程部需跟进" in text and supervisor.display_name in text


@pytest.mark.parametrize("who", ["desk", "engineer", "tenant_a_admin"])
def test_only_a_supervisor_may_sign_off(persona, who):
    report = drafted()
    with pytest.raises(PermissionDenied):
        reports.service_report_sign(report, by=persona(who), remarks="")
    report.refresh_from_db()
    assert report.status == "drafted" and not AuditEvent.objects.filter(action="service_report.signed").exists()


def test_a_report_is_signed_off_once_and_remarks_have_a_limit(supervisor):
    report = drafted()
    with pytest.raises(ValidationError) as error:
        reports.service_report_sign(report, by=supervisor, remarks="长" * 2001)
    assert "remarks" in error.value.message_dict
    reports.service_report_sign(report, by=supervisor, remarks="")
    with pytest.raises(TransitionRefused):
        reports.service_report_sign(ServiceReport.objects.get(pk=report.pk), by=supervisor, remarks="again")
    assert AuditEvent.objects.filter(action="service_report.signed").count() == 1


def keys_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("dedup_key", flat=True))


def test_reminded_on_the_3rd_and_escalated_after_the_5th_once_each(supervisor, desk):
    boss = factories.UserFactory(username="manager", is_superuser=True, is_staff=True)
    report = drafted()
    run = Deadline.objects.get(kind="report_sign_off", object_id=report.pk)
    assert timezone.localtime(run.due_at) == at(2026, 12, 6, 0, 0)
    for moment in (at(2026, 12, 2, 9), at(2026, 12, 3, 8, 59)):
        scan(now=moment)
    assert keys_of(supervisor) == []
    for moment in (at(2026, 12, 3, 9), at(2026, 12, 3, 9), at(2026, 12, 5, 17)):
        scan(now=moment)
    assert keys_of(supervisor) == [f"deadline-{run.pk}-0"] and keys_of(boss) == []
    for moment in (at(2026, 12, 6, 9), at(2026, 12, 6, 9), at(2026, 12, 7, 9)):
        scan(now=moment)
    assert keys_of(supervisor) == [f"deadline-{run.pk}-0", f"deadline-{run.pk}-1"]
    assert keys_of(boss) == [f"deadline-{run.pk}-1"]
    assert keys_of(desk) == []
    link = Notification.objects.filter(recipient=boss).get().url
    assert link == reverse("desk:complaints:statistics") + "?month=2026-11"


def test_signed_off_in_time_nobody_is_escalated(supervisor):
    report = drafted()
    scan(now=at(2026, 12, 3, 9))
    with time_machine.travel(at(2026, 12, 4, 10), tick=False):
        reports.service_report_sign(report, by=supervisor)
    scan(now=at(2026, 12, 6, 9))
    run = Deadline.objects.get(kind="report_sign_off", object_id=report.pk)
    assert keys_of(supervisor) == [f"deadline-{run.pk}-0"]


# --- the pages ---------------------------------------------------------------------------------


def test_the_page_shows_the_month_and_the_sign_off(client_for, supervisor):
    report = drafted()
    page = client_for(supervisor).get(reverse("desk:complaints:statistics"), {"month": "2026-11"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="statistics-data"' in html and "chart.umd.js" in html
    assert reverse("desk:complaints:statistics_sign", args=[report.pk]) in html
    assert reverse("desk:complaints:statistics_pdf", args=[report.pk]) in html
    assert "?month=2026-10" in html and "?month=2026-12" in html


@pytest.mark.parametrize("month", ["2026-13", "abc", "2999-01", "1999-12"])
def test_a_bad_month_is_a_field_error_not_a_500(client_for, supervisor, month):
    page = client_for(supervisor).get(reverse("desk:complaints:statistics"), {"month": month})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.content.decode()


def test_the_sign_off_form_signs_and_returns_to_the_month(client_for, supervisor):
    report = drafted()
    url = reverse("desk:complaints:statistics_sign", args=[report.pk])
    response = client_for(supervisor).post(url, {"remarks": "本月投诉答复及时。"})
    assert response.status_code == 302 and response["Location"].endswith("?month=2026-11")
    assert ServiceReport.objects.get(pk=report.pk).status == "signed"
    too_long = client_for(supervisor).post(url, {"remarks": "长" * 2001})
    assert too_long.status_code == 200


def test_the_report_pdf_downloads(client_for, supervisor):
    report = drafted()
    ServiceReport.objects.filter(pk=report.pk).update(pdf="")  # the worker has not run yet
    response = client_for(supervisor).get(reverse("desk:complaints:statistics_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_excel_export_holds_the_same_figures(
    client_for, desk, supervisor, engineer, guard, tenant_a_admin, tenant_a
):
    p = people(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a)
    build_repairs(p)
    build_complaints(p)
    with time_machine.travel(at(2026, 12, 6, 12), tick=False):
        response = client_for(supervisor).get(reverse("desk:complaints:statistics_export"), {"month": "2026-11"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:3] == ["报修", "报修（按类别）", "报修（按工程人员）"] and len(book.sheetnames) == 8
    repairs = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    by_label = {row[0]: row[1:] for row in repairs[1:]}
    assert by_label["受理"] == [3, 3, 0]
    assert by_label["完成及时率"] == [33.33, 66.67, -33.3]
    engineers = [[c.value for c in row] for row in book.worksheets[2].iter_rows()]
    assert [row[0] for row in engineers[1:]][:2] == ["eng2", "engineer"]


def test_a_report_to_sign_is_a_panel_on_the_supervisors_desk_home(client_for, supervisor, desk):
    drafted()
    link = reverse("desk:complaints:statistics") + "?month=2026-11"
    assert link in client_for(supervisor).get(reverse("desk:home")).content.decode()
    assert link not in client_for(desk).get(reverse("desk:home")).content.decode()


def test_a_signed_report_leaves_no_panel(client_for, supervisor):
    report = drafted()
    reports.service_report_sign(report, by=supervisor, remarks="")
    link = reverse("desk:complaints:statistics") + "?month=2026-11"
    assert link not in client_for(supervisor).get(reverse("desk:home")).content.decode()


def test_the_admin_lists_the_reports_read_only(client_for, supervisor):
    report = drafted()
    client = client_for(supervisor)
    page = client.get(reverse("admin:complaints_servicereport_changelist"))
    assert page.status_code == 200
    assert reverse("desk:complaints:statistics") + "?month=2026-11" in page.content.decode()
    assert client.post(reverse("admin:complaints_servicereport_change", args=[report.pk]), {}).status_code == 403
