"""Files in an S3-compatible bucket: with ``AWS_STORAGE_BUCKET_NAME`` set, uploads and rendered
PDFs go to the bucket and come back through the same access-checked views, so web servers and
workers on several machines share them. moto's S3 server runs in a thread on 127.0.0.1; boto3
is given dummy keys and that endpoint, so nothing leaves the machine."""

import re
import runpy
import uuid
from datetime import date
from pathlib import Path

import boto3
import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tenants import services as tenant_services
from tests import factories
from tests.test_project import environment

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(settings.BASE_DIR) / "jinyuan" / "settings.py"
SCAN = b"%PDF-1.4\n% a scanned business licence\n"
DUMMY_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def moto_endpoint():
    """An S3 server on a free loopback port, for the whole module."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def offline_aws(monkeypatch):
    """boto3 reads only what we give it: no profiles, no instance metadata, no proxy."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_S3_REGION_NAME", "AWS_LOCATION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        **DUMMY_KEYS,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }.items():
        monkeypatch.setenv(name, value)


def storages_from_environment(monkeypatch, **env: str) -> dict:
    """STORAGES as jinyuan/settings.py builds it from these environment variables."""
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))["STORAGES"]


@pytest.fixture
def bucket(_media_in_tmp, moto_endpoint, offline_aws, monkeypatch):
    """A fresh bucket, and the default storage pointed at it exactly as settings.py configures
    it from the environment. Entered after conftest's local-directory override, so it wins."""
    name = f"jinyuan-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id=DUMMY_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name)
    storages = storages_from_environment(
        monkeypatch, AWS_STORAGE_BUCKET_NAME=name, AWS_S3_ENDPOINT_URL=moto_endpoint, **DUMMY_KEYS
    )
    with override_settings(STORAGES={**settings.STORAGES, "default": storages["default"]}):
        yield Bucket(s3, name, _media_in_tmp)


class Bucket:
    """What is in the bucket, read with boto3 beside the app; and what reached the local disk."""

    def __init__(self, s3, name: str, media: Path):
        self.s3, self.name, self.media = s3, name, media

    def keys(self) -> list[str]:
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=self.name).get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()

    def acl_grants(self, key: str) -> list[str]:
        grants = self.s3.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return sorted(g["Permission"] + ":" + g["Grantee"].get("URI", g["Grantee"].get("ID", "")) for g in grants)

    def local_files(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]


def streamed(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response.streaming  # the bytes come through Django, not a redirect to the store
    return b"".join(response.streaming_content)


# --- choosing the storage ------------------------------------------------------------------------


def test_without_a_bucket_files_stay_in_the_local_media_directory(monkeypatch):
    default = storages_from_environment(monkeypatch)["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["base_url"] == "/nonexistent/"  # no URL serves them


def test_a_bucket_in_the_environment_selects_private_s3_storage_without_signed_links(monkeypatch):
    default = storages_from_environment(
        monkeypatch, AWS_STORAGE_BUCKET_NAME="files", AWS_S3_ENDPOINT_URL="http://minio:9000"
    )["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("files", "http://minio:9000")
    assert (options["default_acl"], options["querystring_auth"]) == ("private", False)
    assert options["file_overwrite"] is True  # a PDF re-rendered lands on its one fixed name
    assert options["addressing_style"] == "path"  # http://minio:9000/files/…, no bucket subdomain


def test_compose_runs_an_object_store_and_points_the_app_at_it():
    services = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert "minio" in services
    for name in ("web", "worker", "beat"):
        env = environment(services[name])
        assert env.get("AWS_STORAGE_BUCKET_NAME")
        assert env.get("AWS_S3_ENDPOINT_URL") == "http://minio:9000"
        assert "MEDIA_ROOT" not in env
        assert "minio-init" in services[name]["depends_on"]


# --- uploads, PDFs and downloads against the bucket ----------------------------------------------


def test_a_move_in_document_is_uploaded_to_the_bucket_and_downloaded_through_the_desk(
    bucket, client_for, desk, building
):
    tenant = factories.TenantFactory(name="广西邕江数字科技有限公司")
    unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=18), number="A-1801")
    move_in = tenant_services.movein_open(tenant=tenant, units=[unit], start_date=date(2026, 3, 10), by=desk)
    clerk = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    page = reverse("desk:tenants:movein_detail", args=[move_in.pk])

    upload = SimpleUploadedFile("营业执照.pdf", SCAN, content_type="application/pdf")
    response = clerk.post(page, {"step": "documents", "kind": "licence", "title": "", "file": upload})
    assert response.status_code == 302

    [key] = bucket.keys()
    assert key.endswith(".pdf") and "营业执照" not in key
    assert bucket.body(key) == SCAN
    assert not any("AllUsers" in g or "AuthenticatedUsers" in g for g in bucket.acl_grants(key))

    link = reverse("attachments:file", args=[0]).replace("/0/", r"/\d+/")
    [download] = re.findall(f'href="({link})"', clerk.get(page).content.decode())
    response = clerk.get(download)
    assert streamed(response) == SCAN
    assert response["X-Content-Type-Options"] == "nosniff"
    assert bucket.local_files() == []


def test_a_certificate_pdf_is_rendered_into_the_bucket_and_downloaded_from_the_portal(
    bucket, make_certificate, client_for, tenant_a_admin
):
    cert = make_certificate("issued")

    response = client_for(tenant_a_admin).get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    pdf = streamed(response)
    assert pdf.startswith(b"%PDF-")

    number = cert.document.number
    [key] = bucket.keys()
    assert key == f"documents/{cert.document.kind}/{number.split('-')[1]}/{number}.pdf"
    assert bucket.body(key) == pdf
    assert bucket.local_files() == []


def test_rendering_a_pdf_again_overwrites_the_one_object_in_the_bucket(bucket, make_certificate):
    from jinyuan.documents.models import Document
    from jinyuan.documents.services import document_render

    doc = make_certificate("issued").document
    document_render(document=doc)
    Document.objects.filter(pk=doc.pk).update(rendered_at=None)  # the mark lost, the file still there
    assert document_render(document=Document.objects.get(pk=doc.pk))
    assert len(bucket.keys()) == 1
    assert Document.objects.get(pk=doc.pk).pdf.name == bucket.keys()[0]


def test_a_receipt_pdf_is_stored_in_the_bucket_and_downloaded_by_finance(bucket, client_for, finance, tenant_a, desk):
    payment = factories.make_payment(tenant_a, desk)

    response = client_for(finance).get(reverse("desk:billing:receipt_pdf", args=[payment.pk]))
    pdf = streamed(response)
    assert pdf.startswith(b"%PDF-")
    payment.receipt.refresh_from_db()
    assert bucket.keys() == [payment.receipt.pdf.name]
    assert bucket.body(payment.receipt.pdf.name) == pdf
    assert bucket.local_files() == []
