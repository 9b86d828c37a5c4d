"""Personas and shared fixtures. The e2e and celery suites use these too: keep names stable.

Personas (DESIGN.md "Tests and quality"): ``desk``, ``supervisor``, ``engineer``, ``guard``,
``finance`` (staff roles); ``tenant_a_admin``, ``tenant_a_staff``, ``tenant_b_admin`` (portal users).
``tenant_a`` occupies ``unit_a`` and ``tenant_b`` occupies ``unit_b``, both since a year ago.
"""

import os
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from tests import factories
from tests.factories import PASSWORD

STAFF_PERSONAS = ("desk", "supervisor", "engineer", "guard", "finance")
TENANT_PERSONAS = ("tenant_a_admin", "tenant_a_staff", "tenant_b_admin")
PERSONAS = (*STAFF_PERSONAS, *TENANT_PERSONAS)


# CI runs the property tests derandomized: the same examples on every run, so a red build is
# reproducible and never a coin toss. Locally examples vary, which is how new cases turn up.
# Registered here, before the test modules build their settings() on top of the loaded profile.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config):
    # whitenoise warns on every new client when collectstatic has not run; tests need no static root.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def serial_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that shares something beyond its own database, so that such
    tests run on one worker, one after another (`make test` runs two workers, ``--dist
    loadgroup``): the Redis broker (a real Celery worker, the served system), PostgreSQL's
    connection limit (20-50 threads released at once by a barrier: two such tests together
    could pass ``max_connections``), the browser and the accessibility summary it writes."""
    if item.get_closest_marker("e2e"):
        return "browser"
    if item.get_closest_marker("celery_worker") or item.get_closest_marker("slow"):
        return "redis"
    module = getattr(item, "module", None)
    if module is not None and ("run_at_once" in vars(module) or "threading" in vars(module)):
        return "connections"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        group = serial_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


# --- environment: no broker, private media in a temp dir, fast hashing, a clean cache --------


@pytest.fixture(autouse=True)
def _celery_eager(request, settings):
    """Tasks run in-process unless the test is marked ``celery_worker`` (CI sets REDIS_URL)."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from jinyuan.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path, settings):
    """Uploaded files and rendered PDFs go to a per-test directory. override_settings sends
    setting_changed, which resets ``default_storage``; FileFields use it lazily."""
    media = tmp_path / "media"
    media.mkdir()
    storages = {
        **settings.STORAGES,
        # Always a local directory, even when the environment names a bucket (see test_storage_s3).
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": "/nonexistent/"},
        },
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(media)):
        yield media


@pytest.fixture
def media_root(_media_in_tmp):
    """The directory FileFields and rendered PDFs of this test are stored in."""
    return _media_in_tmp


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in English (a user's preference)
    leaves English active in the thread, and the next test on the same worker would read it."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates content types with new ids; the in-process cache
    would still hand out the old ones (audit events would point at a missing row)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(request, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if request.node.get_closest_marker("celery_worker"):
        return
    # A private in-memory cache: never flush the shared Redis (it is also the broker in CI).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    # Sessions in the database, as without Redis: query counts must not depend on REDIS_URL.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    from django.core.cache import cache

    cache.clear()


# --- premises ----------------------------------------------------------------------------------


@pytest.fixture
def building(db):
    return factories.BuildingFactory(code="A", name="金源CBD现代城A座", address="南宁市青秀区民族大道136号")


@pytest.fixture
def unit_a(building):
    floor = factories.FloorFactory(building=building, number=12)
    return factories.UnitFactory(floor=floor, number="1201", area="186.40")


@pytest.fixture
def unit_b(building):
    floor = factories.FloorFactory(building=building, number=15)
    return factories.UnitFactory(floor=floor, number="1502", area="98.00")


@pytest.fixture
def tenant_a(unit_a):
    tenant = factories.TenantFactory(name="广西甲方科技有限公司")
    factories.OccupancyFactory(tenant=tenant, unit=unit_a, start=timezone.localdate() - timedelta(days=400))
    factories.ContactFactory(tenant=tenant, name="王建国", phone="13877110001", is_primary=True)
    return tenant


@pytest.fixture
def tenant_b(unit_b):
    tenant = factories.TenantFactory(name="南宁乙方贸易有限公司")
    factories.OccupancyFactory(tenant=tenant, unit=unit_b, start=timezone.localdate() - timedelta(days=200))
    factories.ContactFactory(tenant=tenant, name="李秀英", phone="13977120002", is_primary=True)
    return tenant


# --- personas ----------------------------------------------------------------------------------


def _staff(username: str, role: str, **fields):
    return factories.UserFactory(username=username, display_name=username, roles=[role], **fields)


@pytest.fixture
def desk(db):
    return _staff("desk", "front_desk")


@pytest.fixture
def supervisor(db):
    return _staff("supervisor", "supervisor", is_staff=True)


@pytest.fixture
def engineer(db):
    return _staff("engineer", "engineering")


@pytest.fixture
def guard(db):
    return _staff("guard", "security")


@pytest.fixture
def finance(db):
    return _staff("finance", "finance")


@pytest.fixture
def tenant_a_admin(tenant_a):
    user = factories.UserFactory(username="a_admin", email="a-admin@tenant-a.example")
    factories.MembershipFactory(user=user, tenant=tenant_a, role="admin")
    return user


@pytest.fixture
def tenant_a_staff(tenant_a):
    user = factories.UserFactory(username="a_staff", email="a-staff@tenant-a.example")
    factories.MembershipFactory(user=user, tenant=tenant_a, role="staff")
    return user


@pytest.fixture
def tenant_b_admin(tenant_b):
    user = factories.UserFactory(username="b_admin", email="b-admin@tenant-b.example")
    factories.MembershipFactory(user=user, tenant=tenant_b, role="admin")
    return user


@pytest.fixture
def persona(request):
    """Indirect access by name: ``persona("guard")`` or ``persona("anonymous")`` (None)."""

    def get(name: str):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


# --- clients and records -----------------------------------------------------------------------


@pytest.fixture
def client_for(db) -> Callable[..., Client]:
    """``client_for(user)``: a test client logged in as ``user`` (anonymous for None)."""

    def make(user=None, **defaults) -> Client:
        client = Client(**defaults)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def make_certificate(tenant_a, unit_a, tenant_a_admin, desk, supervisor):
    """``make_certificate("issued")``: tenant A's certificate for unit A in that state, moved there
    through the services by the personas. Keyword arguments override (see factories)."""

    def make(state: str = "submitted", **kwargs):
        defaults = {
            "tenant": tenant_a,
            "unit": unit_a,
            "applicant": tenant_a_admin,
            "desk": desk,
            "supervisor": supervisor,
        }
        return factories.make_certificate(state, **{**defaults, **kwargs})

    return make


@pytest.fixture
def query_ctx(building, tenant_a, tenant_a_admin, desk, supervisor, make_certificate):
    """What row makers and URLs need: tenant A in building A, a spare floor, an issued certificate."""
    return {
        "building": building,
        "floor": factories.FloorFactory(building=building, number=30),
        "tenant_a": tenant_a,
        "tenant_a_admin": tenant_a_admin,
        "desk": desk,
        "supervisor": supervisor,
        "make_certificate": make_certificate,
        "cert": make_certificate("issued"),
    }


@pytest.fixture
def english():
    """Messages in English, the msgid language, whatever the catalogue says (default is zh-hans)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database of its own for a test that migrates an app from an old state: it
    migrates forward only the old state's ancestors and the steps under test, instead of
    unapplying every later migration of the test database and applying them again (with
    each new app that took one worker minutes). The default connection points at it during the
    test; the test database is left as it was. It yields ``migrate(targets)``: migrates the
    scratch database to ``targets`` (forwards or back) and returns the historical apps there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    with django_db_blocker.unblock():
        main = connection.settings_dict["NAME"]
        scratch = f"{main}_scratch"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        connection.close()
        connection.settings_dict["NAME"] = scratch
        try:
            yield migrate
        finally:
            connection.close()
            connection.settings_dict["NAME"] = main
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
