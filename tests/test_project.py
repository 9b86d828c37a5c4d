"""The production layout in docker-compose.yml: postgres, redis, web (gunicorn), worker, beat."""

import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


@pytest.fixture(scope="module")
def services() -> dict:
    assert COMPOSE.exists(), "docker-compose.yml is missing"
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def command(service: dict) -> str:
    """The service's command as one string, whether written as a list or a shell line."""
    cmd = service.get("command", "")
    if isinstance(cmd, list):
        cmd = " ".join(cmd)
    return " ".join(cmd.split())


def environment(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def test_compose_has_the_five_services(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_web_runs_gunicorn_on_the_wsgi_app(services):
    # The command may be wrapped in ``sh -c "... && gunicorn ..."``: split the inner line too.
    words = [w for part in shlex.split(command(services["web"])) for w in part.split()]
    assert "gunicorn" in words
    assert any(w == "jinyuan.wsgi" or w.startswith("jinyuan.wsgi:") for w in words[words.index("gunicorn") :])


def test_web_or_a_migrate_step_runs_migrations(services):
    migrating = [name for name, svc in services.items() if "manage.py migrate" in command(svc)]
    assert migrating, "no service runs manage.py migrate"
    assert set(migrating) & {"web", "migrate"}


def test_worker_runs_celery_worker(services):
    assert "celery -A jinyuan worker" in command(services["worker"])


def test_beat_runs_celery_beat(services):
    assert "celery -A jinyuan beat" in command(services["beat"])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_use_production_settings(services, name):
    assert environment(services[name]).get("DJANGO_SETTINGS_MODULE") == "jinyuan.settings_production"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_reach_postgres_and_redis(services, name):
    env = environment(services[name])
    assert env.get("DATABASE_URL", "").startswith("postgres://")
    assert "@postgres" in env["DATABASE_URL"]
    assert env.get("REDIS_URL", "").startswith("redis://redis")


def test_postgres_and_redis_keep_their_data_in_volumes(services):
    assert services["postgres"].get("volumes")
    assert services["redis"].get("volumes")


def test_beat_schedule_has_the_deadline_scan():
    assert settings.CELERY_BEAT_SCHEDULE["scan-deadlines"]["task"] == "workflow.scan_deadlines"
