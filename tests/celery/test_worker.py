"""A real Celery worker on Redis renders an issued certificate's PDF.

Runs whenever REDIS_URL is set (as in CI); skipped otherwise, since the point is the broker
round trip, not the task body (which the unit tests run eagerly).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from jinyuan.celery import app
from jinyuan.documents.models import Document
from permits import services
from tests.subprocess_env import url_of_test_database

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker for a real worker"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process():
    """A worker process on the test database; tasks go through Redis, not in-process.

    A stale message from an earlier run only names a document id that does not exist here;
    the task then returns without doing anything.
    """
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DATABASE_URL": url_of_test_database(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "DJANGO_SETTINGS_MODULE": "jinyuan.settings",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jinyuan", "worker", "-P", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker
    finally:
        app.conf.task_always_eager = saved
        worker.terminate()
        try:
            out, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
        print(out.decode(errors="replace"))


def test_worker_renders_issued_certificate_pdf(celery_worker_process, make_certificate, supervisor):
    cert = make_certificate(state="checked")
    services.certificate_approve(obj=cert, by=supervisor)
    doc_id = cert.document.pk

    deadline = time.monotonic() + 90
    doc = Document.objects.get(pk=doc_id)
    while not doc.rendered_at and time.monotonic() < deadline:
        time.sleep(0.5)
        doc.refresh_from_db()

    assert doc.rendered_at is not None, "the worker did not render the PDF in 90 s"
    with doc.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert Document.objects.filter(object_id=cert.pk, kind="premises_certificate").count() == 1
