"""`make run` serves as production does: the Procfile's gunicorn, Celery worker and Celery beat
under honcho (scripts/serve.sh), here on the test database and the CI Redis.

runserver with persistent connections left 69 idle PostgreSQL connections after 400 requests
from 4 logged-in clients (max_connections is 100). The same load here must stay within what the
processes can hold, and a reminder that falls due must reach its reader through beat and worker.
Ctrl-C (SIGINT to honcho) must stop every process.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jinyuan.celery import app as celery_app
from jinyuan.workflow.models import Deadline, Notification
from permits.models import PremisesCertificate
from tests import factories
from tests.factories import PASSWORD
from tests.subprocess_env import url_of_test_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker for worker and beat"),
]

ROOT = Path(__file__).resolve().parents[1]
WEB_WORKERS = 2
WEB_THREADS = 4
CLIENTS = 4
REQUESTS_PER_CLIENT = 100
PAGES = ("/desk/", "/desk/tenants/")
# "The server's threads plus a few": slack for a connection a health check is replacing or a
# task's connection still closing while the next one opens.
FEW = 3


def worker_concurrency() -> int:
    match = re.search(r"^worker:.*--concurrency (\d+)", (ROOT / "Procfile").read_text(), re.M)
    assert match, "the Procfile's worker names its --concurrency"
    return int(match.group(1))


def connection_bound() -> int:
    """gunicorn workers × threads (one persistent connection per thread) + the Celery worker's
    pool (one per process) + beat (file scheduler: none, counted anyway) + a few."""
    return WEB_WORKERS * WEB_THREADS + worker_concurrency() + 1 + FEW


# --- the reminder seam: the one place that knows how a reminder falls due and is delivered -----
# When reminders move to another mechanism, only these two functions change.


def make_record_with_overdue_reminder() -> PremisesCertificate:
    """A premises certificate request left past its due time: the deadline scan that beat
    schedules (workflow.scan_deadlines) reminds the front desk of it."""
    cert = factories.make_certificate("submitted")
    # Its review deadline fell due a month ago: every reminder step has come due.
    past = timezone.now() - timedelta(days=30)
    Deadline.objects.filter(object_id=cert.pk, kind="review").update(due_at=past, next_step_at=past)
    return cert


def reminder_delivered(record: PremisesCertificate) -> bool:
    """In a reader's notifications and e-mailed (the worker ran the e-mail task too)."""
    return Notification.objects.filter(
        url=reverse("desk:permits:certificate_detail", args=[record.pk]),
        dedup_key__startswith="deadline-",
        emailed_at__isnull=False,
    ).exists()


# --- the served system -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    port: int
    honcho: subprocess.Popen
    log: Path

    def process_groups(self) -> list[int]:
        """honcho starts each Procfile process in its own session; it prints their pids."""
        started = re.findall(r"started \(pid=(\d+)\)", self.log.read_text(errors="replace"))
        return [self.honcho.pid, *map(int, started)]

    def interrupt(self, timeout: float = 15) -> list[int]:
        """Ctrl-C: SIGINT to honcho's group. Returns the processes still running after."""
        groups = self.process_groups()
        os.killpg(self.honcho.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.honcho.wait(timeout=timeout)
        return [pid for pgid in groups for pid in running_in_group(pgid)]

    def kill(self) -> None:
        for pgid in self.process_groups():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self.honcho.wait()


def running_in_group(pgid: int) -> list[int]:
    """Processes of the group that have not exited. An exited child whose parent died waits as a
    zombie until init reaps it; it no longer runs, so it does not count."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # exited while we looked
        if int(group) == pgid and state != "Z":
            pids.append(int(stat.parent.name))
    return pids


def wait_until_up(served: Served, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert served.honcho.poll() is None, "honcho exited before the server came up"
        with contextlib.suppress(OSError):  # refused until gunicorn listens
            if Browser(served.port).request("GET", "/healthz/").status == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"the server did not answer /healthz/ within {timeout} s")


def monthly_report_rendered() -> bool:
    from complaints.models import ServiceReport
    from complaints.statistics import previous_month

    month = previous_month(timezone.localdate())
    return ServiceReport.objects.filter(month=month, rendered_at__isnull=False).exists()


@pytest.fixture
def served(transactional_db, tmp_path, media_root):
    """scripts/serve.sh (what `make run` ends with) on the test database; its processes are
    killed by process group whatever the test does."""
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "jinyuan.settings",
        "DATABASE_URL": url_of_test_database(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(media_root),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        "WEB_THREADS": str(WEB_THREADS),
        "BEAT_EVERY_SECONDS": "1",
        "BEAT_SCHEDULE": str(tmp_path / "celerybeat-schedule"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        honcho = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(port=port, honcho=honcho, log=log)
    try:
        yield served
    finally:
        served.kill()
        print(log.read_text(errors="replace")[-20000:])
        # Beat queued tasks every second: a later test's worker on this Redis need not run them.
        celery_app.control.purge()


class Browser:
    """One client: its own cookies (session, CSRF) and a new TCP connection per request, as in
    the measurement that found runserver's leak (a server thread, hence a database connection,
    per TCP connection)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = urllib.parse.urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response

    def log_in(self, username: str) -> None:
        self.request("GET", "/login/")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        response = self.request("POST", "/login/", form)
        assert response.status == 302, f"{username} was not logged in ({response.status})"
        assert "sessionid" in self.cookies


def make_clerks(count: int) -> list[str]:
    """Front-desk users whose passwords the servers can check: they use the default hashers,
    not the tests' fast MD5 (one hash shared, computed once)."""
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    names = [f"clerk{n}" for n in range(count)]
    for name in names:
        user = factories.UserFactory(username=name, roles=["front_desk"])
        user.password = encoded
        user.save(update_fields=["password"])
    return names


def server_connections() -> int:
    """Connections to the test database other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def drive(browsers: list[Browser]) -> tuple[Counter, list[int]]:
    """REQUESTS_PER_CLIENT requests from each browser at once; samples the connections meanwhile."""

    def browse(browser: Browser) -> Counter:
        return Counter(browser.request("GET", PAGES[n % len(PAGES)]).status for n in range(REQUESTS_PER_CLIENT))

    samples = []
    with ThreadPoolExecutor(len(browsers)) as pool:
        running = [pool.submit(browse, browser) for browser in browsers]
        while not all(future.done() for future in running):
            samples.append(server_connections())
            time.sleep(0.2)
        statuses = sum((future.result() for future in running), Counter())
    samples.append(server_connections())
    return statuses, samples


def test_served_system_keeps_connections_bounded_and_delivers_reminders(served):
    started = time.monotonic()
    reminder = make_record_with_overdue_reminder()
    clerks = make_clerks(CLIENTS)
    wait_until_up(served, timeout=30)
    up = time.monotonic()
    browsers = [Browser(served.port) for _ in clerks]
    with ThreadPoolExecutor(len(browsers)) as pool:
        list(pool.map(Browser.log_in, browsers, clerks))  # list(): re-raises a failed log-in
    logged_in = time.monotonic()

    statuses, samples = drive(browsers)
    loaded = time.monotonic()
    print(
        f"up {up - started:.1f} s, log-ins {logged_in - up:.1f} s, {sum(statuses.values())} requests "
        f"{loaded - logged_in:.1f} s; database connections: max {max(samples)}, after {samples[-1]}, "
        f"bound {connection_bound()}"
    )

    assert statuses == {200: CLIENTS * REQUESTS_PER_CLIENT}
    assert max(samples) <= connection_bound()

    deadline = time.monotonic() + 20
    while not reminder_delivered(reminder) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert reminder_delivered(reminder), "no reminder delivered through beat and the worker within 20 s"

    # Beat drafts last month's service report (complaints.draft_monthly_report), the worker
    # renders its PDF.
    deadline = time.monotonic() + 30
    while not monthly_report_rendered() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert monthly_report_rendered(), "last month's service report not drafted and rendered within 30 s"

    assert served.interrupt() == [], "processes still running after Ctrl-C"
