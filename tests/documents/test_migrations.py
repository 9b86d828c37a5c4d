"""Documents issued before codes existed get one each, all different, when migrating."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("scratch_database")]

BEFORE = [("documents", "0001_initial")]
AFTER = [("documents", "0004_check_code_required_and_unique")]


def test_every_existing_document_gets_its_own_code():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Document = old.get_model("documents", "Document")
    ContentType = old.get_model("contenttypes", "ContentType")
    desk = old.get_model("accounts", "User").objects.create(username="desk", password="!")
    source, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    for i in range(3):
        Document.objects.create(
            kind="premises_certificate",
            number=f"CM-2025-{i:05d}",
            content_type=source,
            object_id=desk.pk,
            issued_by_id=desk.pk,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps.get_model("documents", "Document")
    codes = list(new.objects.values_list("code", flat=True))
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(len(code) == 16 for code in codes)
