"""The monthly supervision report: drawn up once from the 1st (however often or late the hourly
task runs, also twice at once), its figures frozen, its PDF in Chinese with a CJK font; a
supervisor draws a month up on demand (audited), a month to come is a field error."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from frontdesk import dashboard_services as services
from frontdesk import tasks
from frontdesk.models import MonthlyReport
from jinyuan.workflow.models import AuditEvent
from tests.frontdesk import dashboard_data as data

pytestmark = pytest.mark.django_db


def draft_on(day: dt.datetime) -> int | None:
    with time_machine.travel(day, tick=False):
        return tasks.draft_dashboard_report.delay().get()


def pdf_text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    return "".join(page.extract_text() for page in reader.pages), fonts


def test_the_task_on_the_1st_draws_last_months_report_up_once(supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = draft_on(data.at(12, 1, 0))
    report = MonthlyReport.objects.get()
    assert first == report.pk and report.month == dt.date(2026, 11, 1) and report.requested_by is None
    # The beat runs hourly: again the same day, and the next days, nothing more.
    assert draft_on(data.at(12, 1, 1)) is None
    assert draft_on(data.at(12, 2, 9)) is None
    assert MonthlyReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="dashboard_report.drafted").count() == 1
    report.refresh_from_db()
    assert report.rendered_at is not None and report.pdf.name == "reports/dashboard/2026-11.pdf"
    with report.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_a_second_run_that_lost_the_race_draws_nothing_up(supervisor, monkeypatch):
    """Two workers at once: the second finds no report when it looks, then the insert fails on
    the unique month; it returns the first's report and writes no event."""
    first, created = services.report_draft(dt.date(2026, 11, 1), now=data.at(12, 1, 0))
    assert created
    real_filter = MonthlyReport.objects.filter

    class NoneYet:
        def first(self):
            return None

    monkeypatch.setattr(MonthlyReport.objects, "filter", lambda **kw: NoneYet() if "month" in kw else real_filter(**kw))
    second, created = services.report_draft(dt.date(2026, 11, 1), now=data.at(12, 1, 0))
    assert not created and second.pk == first.pk
    monkeypatch.undo()
    assert MonthlyReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="dashboard_report.drafted").count() == 1


def test_a_1st_missed_is_caught_up_on_the_next_run(supervisor):
    assert draft_on(data.at(12, 4, 10)) is not None
    assert MonthlyReport.objects.get().month == dt.date(2026, 11, 1)


def test_the_report_keeps_the_figures_it_was_drawn_up_with(supervisor):
    with time_machine.travel(data.NOW, tick=False):
        data.add_deadlines()
    draft_on(data.at(12, 1, 0))
    report = MonthlyReport.objects.get()
    repairs = next(row for row in report.figures["work"] if row["key"] == "repairs.repairticket")
    # On December 1st the run due on November 20 is missed too: 3 met of 6 decided.
    assert (repairs["met_this"], repairs["missed_this"], repairs["rate_this"], repairs["rate_last"]) == (
        3,
        3,
        50.0,
        50.0,
    )
    # Printed in Chinese whoever drew it up.
    assert report.figures["total"]["label"] == "全部流程"


def test_the_pdf_is_chinese_in_a_cjk_font_and_names_the_month(supervisor, building, tenant_a, tenant_b, finance):
    with time_machine.travel(data.NOW, tick=False):
        data.fixed_data_set(building, tenant_a, tenant_b, finance, supervisor)
        pdf = services.month_pdf(data.THIS_MONTH)
    assert pdf.startswith(b"%PDF")
    text, fonts = pdf_text_and_fonts(pdf)
    assert "主管月报" in text and "2026年11月" in text and "2026年10月" in text and "回访满意率" in text
    assert "60.0%" in text and "¥200.00" in text and "71.1%" in text
    assert any("WenQuanYi" in font or "CJK" in font for font in fonts), fonts


def test_a_supervisor_draws_a_month_up_on_demand(client_for, supervisor, django_capture_on_commit_callbacks):
    with time_machine.travel(data.NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(reverse("desk:frontdesk:dashboard_reports"), {"month": "2026-10"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.month == dt.date(2026, 10, 1) and report.requested_by == supervisor and report.rendered_at
    event = AuditEvent.objects.get(action="dashboard_report.redrawn")
    assert event.actor == supervisor
    # The list offers its PDF, which opens.
    page = client_for(supervisor).get(reverse("desk:frontdesk:dashboard_reports")).content.decode()
    url = reverse("desk:frontdesk:dashboard_pdf", args=[report.pk])
    assert url in page
    pdf = client_for(supervisor).get(url)
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_drawing_a_month_up_again_replaces_its_figures(supervisor, django_capture_on_commit_callbacks):
    report, _ = services.report_draft(dt.date(2026, 11, 1), now=data.at(12, 1, 0))
    assert report.figures["total"]["open"] == 0
    with time_machine.travel(data.NOW, tick=False):
        data.add_deadlines()
    with time_machine.travel(data.at(12, 3, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.report_redraw(dt.date(2026, 11, 1), by=supervisor)
    report.refresh_from_db()
    assert report.figures["total"]["open"] == 3 and report.requested_by == supervisor
    assert MonthlyReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="dashboard_report.redrawn", object_id=report.pk).count() == 1


@pytest.mark.parametrize("month", ["2026-12", "2026-13", "", "1999-12"])
def test_a_bad_month_is_a_field_error_and_draws_nothing_up(client_for, supervisor, month):
    with time_machine.travel(data.NOW, tick=False):
        response = client_for(supervisor).post(reverse("desk:frontdesk:dashboard_reports"), {"month": month})
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert 'id="month-error"' in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_the_demo_draws_last_months_report_up_with_its_pdf_once(supervisor):
    from demo import frontdesk_dashboard

    with time_machine.travel(data.NOW, tick=False):
        report = frontdesk_dashboard.through_services(data.NOW.date())
        again = frontdesk_dashboard.through_services(data.NOW.date())
    assert report.month == data.LAST_MONTH and again.pk == report.pk
    assert report.pdf.name == "reports/dashboard/2026-10.pdf" and MonthlyReport.objects.count() == 1
    # Drawn up as the beat would have, on the 1st just after midnight.
    assert report.drawn_up_at == data.at(11, 1, 0).replace(minute=5)


def test_the_admin_lists_reports_with_their_pdf_and_edits_nothing(client_for, supervisor):
    from tests import factories

    report, _created = services.report_draft(dt.date(2026, 11, 1), now=data.at(12, 1, 0))
    root = client_for(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = root.get(reverse("admin:frontdesk_monthlyreport_changelist")).content.decode()
    assert "2026-11" in listing and "正在生成" in listing  # no PDF yet: being rendered
    report.pdf.name = "reports/dashboard/2026-11.pdf"
    report.save(update_fields=["pdf"])
    page = root.get(reverse("admin:frontdesk_monthlyreport_change", args=[report.pk])).content.decode()
    assert reverse("desk:frontdesk:dashboard_pdf", args=[report.pk]) in page
    assert 'name="_save"' not in page  # shown, never edited
    assert root.get(reverse("admin:frontdesk_monthlyreport_add")).status_code == 403
