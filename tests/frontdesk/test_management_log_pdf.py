"""The signed management log's PDF: Chinese text in an embedded CJK font, its QR to /verify/."""

import datetime as dt

import pytest
from pypdf import PdfReader

from frontdesk import management_log_services as services
from jinyuan.documents.models import Document
from tests.frontdesk.liaison_data import make_emergency
from tests.frontdesk.management_log_data import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 10)
CJK_FONTS = ("WenQuanYi", "Noto", "CJK", "Hei")


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont", "")))
            for descendant in font.get("/DescendantFonts", []) or []:
                names.add(str(descendant.get_object().get("/BaseFont", "")))
    return names


def test_the_pdf_shows_the_log_in_chinese_with_a_cjk_font(
    building, desk, supervisor, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(DAY, 10))
    emergency = make_emergency(building, desk)
    services.log_write_remarks(day=DAY, by=supervisor, building_remarks="大厦运行正常", manager_opinion="雨季注意防水")
    with django_capture_on_commit_callbacks(execute=True):
        log = services.log_sign(day=DAY, by=supervisor)

    doc = Document.objects.get(pk=log.document_id)
    assert doc.pdf, "rendered by the task (eager in tests)"
    with doc.pdf.open("rb") as fh:
        reader = PdfReader(fh)
        text = "".join(page.extract_text() for page in reader.pages)
        fonts = _fonts(reader)
    assert "大厦管理日志" in text.replace(" ", "") and "大厦运行正常" in text and "雨季注意防水" in text
    assert emergency.number in text and doc.number in text
    assert any(name in font for font in fonts for name in CJK_FONTS), fonts
