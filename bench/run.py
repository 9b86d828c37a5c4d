#!/usr/bin/env python
"""Benchmarks: ``python bench/run.py [--scale large|small] [--skip-seed] [--reseed] [--only PARTS]``.

Prints one JSON object of figures (explained in bench/README.md). Everything runs against a
separate database, ``<name of DATABASE_URL's database>_bench`` (``jinyuan_bench`` for the
default ``jinyuan``), on the same server (or the embedded PostgreSQL), so the development
database is never touched. Only 127.0.0.1 is contacted.
"""

import argparse
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("pdfs", "registers", "portal", "gate", "deadlines", "renovation", "throughput")
PARTS += ("release_notes", "access_passes", "parking")  # issue 9: bench/<part>.py
PARTS += ("temporary_power",)  # issue 10: bench/temporary_power.py
PARTS += ("hot_work",)  # issue 10: bench/hot_work.py
PARTS += ("elevator",)  # issue 10: bench/elevator.py
PARTS += ("repairs",)  # issue 11: bench/repair_tickets.py (``repairs`` is the app's name)
PARTS += ("complaints",)  # issue 12: bench/complaint_figures.py (``complaints`` is the app's name)
PARTS += ("statements",)  # issue 13: bench/statement_figures.py
PARTS += ("arrears",)  # issue 13: bench/arrears_figures.py (late fees, batch notices, the bill ledger)
PARTS += ("collection",)  # issue 13: bench/collection_figures.py
PARTS += ("payers",)  # issue 14: bench/payer_figures.py (customers beside tenants in the ledgers)
PARTS += ("invoices",)  # issue 14: bench/invoice_figures.py (VAT invoice requests 发票)
PARTS += ("meters",)  # issue 14: bench/meter_figures.py (its own buildings, units, meters and readings)
PARTS += ("venues",)  # issue 15: bench/venue_figures.py (meeting rooms, the desk's calendar of the day)
PARTS += ("frontdesk_duty",)  # issue 16: bench/frontdesk_duty.py (the visitor lookup, a shift's duty log)
PARTS += ("frontdesk_notices",)  # issue 16: bench/frontdesk_notices.py (announcements, the unread list)
# --- issue 17, patrols: PARTS += ("frontdesk_patrols",) ---
PARTS += ("frontdesk_patrols",)  # issue 17: bench/frontdesk_patrols.py (a year of patrols, the phone task page)

# --- issue 17, management log: PARTS += ("management_log",) ---
PARTS += ("management_log",)  # issue 17: bench/management_log.py (a busy day's management log draft)

# --- issue 17, dashboard: PARTS += ("dashboard",) ---
PARTS += ("dashboard",)  # issue 17: bench/dashboard.py (the supervisor dashboard, the monthly report PDF)
BENCH_MEDIA = ROOT / "var" / "bench" / "media"  # rendered files never mix with the dev database's
RESULTS = ROOT / "bench" / "results"
# What a seeded bench database holds; a database seeded before billing existed has no bills.
SCALE_SIZES = {
    "large": {"tenants": 3000, "units": 5000, "has_bills": True},
    "small": {"tenants": 300, "units": 600, "has_bills": True},
}

TARGETS = {
    "certificate_pdf_median_ms": 200,
    "certificate_pdf_kib": 300,
    "receipt_pdf_median_ms": 200,
    "seed_large_seconds": 120,
    # Every page of every register, uncached: the first, middle and last page, each filter, search.
    "register_queries": 10,
    "register_median_ms": 30,
    "portal_bill_list_queries": 12,
    "portal_bill_list_median_ms": 150,
    # The tenant list against /verify/x/ (a page through the full template stack), same run.
    "tenant_list_throughput_ratio": 0.15,
    "worker_peak_rss_mb": 200,
}
LIST_REQUESTS = 30
PDF_RENDERS = 20
WRK_ARGS = ("-t2", "-c8", "-d10s")
# The tenant list and /verify/x/ alternate in short rounds: other work on the machine drifts over
# a minute, and pages measured one after the other would each see a different machine.
WRK_ROUND_ARGS = ("-t2", "-c8", "-d3s")
WRK_ROUNDS = 5


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the bench database ---------------------------------------------------------------------


@contextmanager
def redis_as_served() -> Iterator[str]:
    """The Redis the system runs with: REDIS_URL when set, else a redis-server of the bench's own
    on a Unix socket, as `make run` starts one (scripts/redis.sh). With it, sessions are read
    from Redis and written through to the database (settings: cached_db), as users are served."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    socket_path = BENCH_MEDIA.parent / "redis.sock"
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            *("redis-server", "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"),
            *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket_path.exists():
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the bench's redis-server did not open its socket")
        yield f"unix://{socket_path}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def dev_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    # Same fallback as `make`: the embedded PostgreSQL under var/pg.
    script = ROOT / "scripts" / "embedded_db.py"
    return subprocess.run(
        [sys.executable, "-W", "ignore", str(script)], check=True, capture_output=True, text=True
    ).stdout.strip()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "jinyuan"


def with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def psycopg_connect(url: str, **kwargs: Any):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    # psycopg reads postgres:// URLs itself, including ?host=/socket/dir.
    return psycopg.connect(**conninfo_to_dict(url), **kwargs)


def database_exists(admin_url: str, name: str) -> bool:
    with psycopg_connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(admin_url: str, name: str) -> None:
    with psycopg_connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seeded_sizes(url: str) -> dict[str, int | bool]:
    with psycopg_connect(url) as conn:
        try:
            tenants = conn.execute("SELECT count(*) FROM tenants_tenant").fetchone()[0]
            units = conn.execute("SELECT count(*) FROM tenants_unit").fetchone()[0]
            has_bills = conn.execute("SELECT EXISTS (SELECT 1 FROM billing_bill)").fetchone()[0]
        except psycopg_errors().UndefinedTable:  # not migrated yet
            return {"tenants": 0, "units": 0, "has_bills": False}
    return {"tenants": tenants, "units": units, "has_bills": has_bills}


def vacuum_analyze(url: str) -> None:
    """Planner statistics and visibility maps as autovacuum keeps them on a live server: the seed
    analyzes only the tables it bulk-loads, and autovacuum may be off (it is on the bench host),
    so the tenant tables would be planned as empty and index-only scans would visit the heap."""
    with psycopg_connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def psycopg_errors():
    import psycopg

    return psycopg.errors


def manage(env: dict[str, str], *args: str, check: bool = True) -> bool:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode and check:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.returncode == 0


def prepare_database(args: argparse.Namespace, env: dict[str, str], admin_url: str, bench_url: str) -> float | None:
    """Create, migrate and seed the bench database as needed. Returns the seed time if it seeded."""
    name = database_name(bench_url)
    if not database_exists(admin_url, name):
        log(f"creating database {name}")
        recreate_database(admin_url, name)
    if not manage(env, "migrate", "--no-input", "-v0", check=False):
        # Migrations rewritten since the last run: the bench database is disposable.
        log(f"{name} does not migrate any more; recreating it")
        recreate_database(admin_url, name)
        manage(env, "migrate", "--no-input", "-v0")
    if args.skip_seed:
        return None
    wanted = SCALE_SIZES[args.scale]
    if not args.reseed and seeded_sizes(bench_url) == wanted:
        log(f"{name} already holds the {args.scale} demo")
        return None
    # Seed into a fresh database, so the figure is the time a new installation takes.
    log(f"recreating {name} and seeding the {args.scale} demo")
    recreate_database(admin_url, name)
    manage(env, "migrate", "--no-input", "-v0")
    started = time.perf_counter()
    manage(env, "seed_demo", "--scale", args.scale)
    return round(time.perf_counter() - started, 1)


# --- figures measured in-process ----------------------------------------------------------------


def is_chinese(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def printed_chinese(data: Any) -> set[str]:
    """The Chinese characters of the printed data, nested lists (a receipt's bills) included."""
    if isinstance(data, str):
        return {c for c in data if is_chinese(c)}
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return set().union(*(printed_chinese(v) for v in values))


def certificate_pdf() -> dict:
    """Median render time of one certificate (as ``document_render`` renders it), size, glyphs."""
    # The longest company name: the most glyphs to embed and to find again.
    return document_pdf("premises_certificate", ("company",))


def receipt_pdf() -> dict:
    """The same for a receipt (收据): the longest payer name, then the longest amount in
    capitals (人民币…), so the most distinct characters are checked."""
    return document_pdf("receipt", ("payer", "amount_upper"))


def pdf_fonts(pdf: bytes) -> dict:
    """``pdffonts`` (poppler) on the PDF: every font embedded and subset, and only the one CJK
    face the PDFs use (a fallback font would mean a glyph the face lacks). Skipped, and said so,
    where poppler-utils is not installed."""
    import tempfile

    if not shutil.which("pdffonts"):
        return {"fonts_checked": False}
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    # name type... emb sub uni object ID: the flags are the 5th to 3rd columns from the end.
    fonts = [{"name": row[0], "embedded": row[-5] == "yes", "subset": row[-4] == "yes"} for row in rows]
    ok = bool(fonts) and all(f["embedded"] and f["subset"] and "WenQuanYi" in f["name"] for f in fonts)
    return {"fonts_checked": True, "fonts": [f["name"] for f in fonts], "fonts_ok": ok}


def document_pdf(kind: str, longest: tuple[str, ...]) -> dict:
    """Median render time of one document of ``kind`` as ``document_render`` renders it (QR
    code + ``render_pdf`` in Chinese), its size, and the glyph check. The document chosen has
    the longest printed ``longest`` fields, in that order."""
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import Length
    from django.utils import translation
    from pypdf import PdfReader

    from jinyuan.documents import registry
    from jinyuan.documents.models import Document
    from jinyuan.documents.pdf import qr_svg, render_pdf
    from jinyuan.documents.services import PRINT_LANGUAGE

    lengths = {f"len_{key}": Length(KeyTextTransform(key, "data")) for key in longest}
    doc = (
        Document.objects.filter(kind=kind).annotate(**lengths).order_by(*(f"-{name}" for name in lengths), "pk").first()
    )
    if doc is None:
        return {"error": f"no {kind} document in the bench database"}
    spec = registry.get(doc.kind)

    def render() -> bytes:
        context = {"doc": doc, "data": doc.data, "title": spec.title, "qr": qr_svg(doc.verify_url)}
        with translation.override(PRINT_LANGUAGE):
            return render_pdf(spec.template, context)

    pdf = render()  # warm-up: fonts, templates, WeasyPrint's caches
    times = []
    for _ in range(PDF_RENDERS):
        started = time.perf_counter()
        pdf = render()
        times.append((time.perf_counter() - started) * 1000)
    text = "".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    missing = sorted(printed_chinese(doc.data) - set(text))
    return {
        "document": doc.number,
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "size_kib": round(len(pdf) / 1024, 1),
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "chinese_chars_checked": len(printed_chinese(doc.data)),
        "glyphs_ok": not missing,
        "missing_chars": "".join(missing),
        **pdf_fonts(pdf),
    }


def desk_client():
    return client_of("desk")


def client_of(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def timed_page(client, url: str, requests: int = LIST_REQUESTS) -> dict:
    """Queries of one request (after a warm-up), then the median server time of ``requests``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        return {"url": url, "error": f"HTTP {response.status_code}"}
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Copy now: the next request's request_started signal empties the connection's query log.
    queries = list(captured.captured_queries)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    return {
        "url": url,
        "requests": requests,
        "queries": len(queries),
        "median_ms": round(statistics.median(times), 1),
        # This process's CPU (middleware, view, ORM, template; not PostgreSQL's): less swayed by
        # other work on the machine than the wall time.
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        "slowest_query_ms": round(max(float(q["time"]) for q in queries) * 1000, 1),
    }


def register_pages(client, path: str, rows: int, per_page: int, filters: dict[str, str]) -> dict:
    """Every page a clerk reaches in a register, uncached (registers keep no page cache): the
    first, middle and last page, and each filter and search. The register's figure is its worst
    page: ``queries_max`` and ``median_ms_max``."""
    pages = max(1, math.ceil(rows / per_page))
    urls = {
        "first_page": path,
        "middle_page": f"{path}?page={max(1, pages // 2)}",
        "last_page": f"{path}?page={pages}",
        **{name: f"{path}?{query}" for name, query in filters.items()},
    }
    measured = {name: timed_page(client, url) for name, url in urls.items()}
    complete = all("queries" in page for page in measured.values())
    queries_max = max((page.get("queries", 0) for page in measured.values()), default=0)
    median_max = max((page.get("median_ms", 0) for page in measured.values()), default=0)
    return {
        "rows": rows,
        "queries_max": queries_max,
        "median_ms_max": median_max,
        "median_cpu_ms_max": max((page.get("median_cpu_ms", 0) for page in measured.values()), default=0),
        "met": complete and queries_max <= TARGETS["register_queries"] and median_max <= TARGETS["register_median_ms"],
        "pages": measured,
    }


def register_figures() -> dict[str, dict]:
    """The tenant and unit registers as the front desk sees them, the bill ledger as finance."""
    from django.utils import timezone

    from billing.models import Bill
    from billing.views import BillListView
    from tenants.models import Building, Tenant, Unit
    from tenants.views import TenantListView, UnitListView

    building = Building.objects.order_by("code").first()
    b = building.pk if building else ""
    unit = Unit.objects.select_related("floor").order_by("floor__building__code", "floor__number", "number").first()
    # Last month: billed at every scale, and what finance reconciles at the start of a month.
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    bill = Bill.objects.order_by("-issued_on", "-id").first()
    desk, finance = client_of("desk"), client_of("finance")
    trade_name = quote("邕江")  # a trade name in about 40 company names at the large scale
    return {
        "register_tenants": register_pages(
            desk,
            "/desk/tenants/",
            Tenant.objects.count(),
            TenantListView.paginate_by,
            {
                "search": f"q={trade_name}",
                "search_unit": f"q={quote(unit.number) if unit else ''}",
                "building": f"building={b}",
                "occupying": "occupying=true",
                "not_occupying": "occupying=false",
                "inactive": "is_active=false",
            },
        ),
        "register_units": register_pages(
            desk,
            "/desk/units/",
            Unit.objects.count(),
            UnitListView.paginate_by,
            {
                "search": "q=A-12",
                "building": f"building={b}",
                "floor": f"floor={unit.floor.number if unit else ''}",
                "use": f"use={Unit.Use.values[-1]}",
                "vacant": "vacant=true",
                "occupied": "vacant=false",
                "building_floor_vacant": f"building={b}&floor={unit.floor.number if unit else ''}&vacant=true",
            },
        ),
        "register_bills": register_pages(
            finance,
            "/desk/billing/bills/",
            Bill.objects.count(),
            BillListView.paginate_by,
            {
                "status_open": "status=open",
                "period": f"period={last_month:%Y-%m}",
                "overdue": "overdue=true",
                "search": f"q={trade_name}",
                "search_number": f"q={quote(bill.number) if bill else ''}",
                "building": f"building={b}",
                "building_period": f"building={b}&period={last_month:%Y-%m}",
            },
        ),
    }


def portal_admin_with_most_bills() -> tuple[str, int, str]:
    """The demo's tenant A admin (36 monthly bills and a few more at the large scale), or else
    the admin of the tenant with the most bills: (username, bills, tenant name)."""
    from django.db.models import Count

    from billing.models import Bill
    from tenants.models import Membership

    admins = Membership.objects.filter(role=Membership.Role.ADMIN, is_active=True, user__is_active=True)
    chosen = admins.filter(user__username="tenant_a").select_related("user", "tenant").first()
    if chosen is None:
        busiest = Bill.objects.values("tenant").annotate(n=Count("pk")).order_by("-n", "tenant")
        tenants = [row["tenant"] for row in busiest.filter(tenant__in=admins.values("tenant"))[:1]]
        chosen = admins.filter(tenant__in=tenants).select_related("user", "tenant").first()
    if chosen is None:
        raise RuntimeError("no tenant admin with bills in the bench database")
    return chosen.user.username, Bill.objects.filter(tenant=chosen.tenant).count(), chosen.tenant.name


def portal_bill_list() -> dict:
    """The portal's bills page as the tenant's admin sees it on a phone: first page, paid only."""
    username, bills, tenant = portal_admin_with_most_bills()
    client = client_of(username)
    return {
        "user": username,
        "tenant": tenant,
        "tenant_bills": bills,
        "first_page": timed_page(client, "/portal/billing/"),
        "paid": timed_page(client, "/portal/billing/?status=paid"),
    }


# --- throughput under gunicorn --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, cookie: str = "") -> tuple[int, str]:
    """A GET that does not follow redirects: a login redirect must show as 302, not as 200."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"benchmarks only talk to 127.0.0.1, not {url}")
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - checked above
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_until_up(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http_get(f"{base}/healthz/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def vm_hwm_kib(pid: int) -> int:
    """Peak resident set size of a process so far (VmHWM), in KiB."""
    try:
        match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def wrk(url: str, cookie: str, on_tick: Callable[[], None], args: tuple[str, ...] = WRK_ARGS) -> dict:
    """Run wrk against ``url`` while calling ``on_tick`` (the memory poll) every 0.2 s."""
    cmd = ["wrk", *args, "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while proc.poll() is None:
        on_tick()
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    if not rps:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return {
        "rps": float(rps.group(1)),
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "latency_p50": p50.group(1) if p50 else None,
    }


@contextmanager
def gunicorn(env: dict[str, str], peak: dict[int, int]) -> Iterator[tuple[str, Callable[[], None]]]:
    """A gunicorn with two sync workers on a free port. Yields its base URL and a function that
    records each worker's peak RSS into ``peak`` (pid -> KiB)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The gunicorn of the interpreter running this script (the project's venv under `make`).
    executable = Path(sys.executable).parent / "gunicorn"
    cmd = [str(executable), "jinyuan.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    # The server's log goes to a file: an unread pipe would fill up and stall the workers.
    with (BENCH_MEDIA.parent / "gunicorn.log").open("a") as server_log:
        server = subprocess.Popen(
            [*cmd, "--log-level", "warning"], cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT
        )

        def poll_memory() -> None:
            for pid in worker_pids(server.pid):
                peak[pid] = max(peak.get(pid, 0), vm_hwm_kib(pid))

        try:
            wait_until_up(base)
            yield base, poll_memory
            poll_memory()
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def check_logged_in(base: str, session_cookie: str) -> None:
    status, body = http_get(f"{base}/desk/tenants/", session_cookie)
    if status != 200 or "/desk/tenants/" not in body:
        raise RuntimeError(f"the tenant list answered {status} with the bench session; is the desk user there?")


def throughput(env: dict[str, str], session_cookie: str) -> dict:
    """Requests per second of the tenant list next to trivial views in the same server run, and
    the workers' peak RSS. The server runs the project's settings as they are (persistent
    database connections); registers keep no page cache, so every request is a cold one."""
    peak: dict[int, int] = {}
    with gunicorn(env, peak) as (base, poll):
        check_logged_in(base, session_cookie)
        # Warm each worker once (imports, templates, its database connection).
        for _ in range(4):
            http_get(f"{base}/desk/tenants/", session_cookie)
        health = wrk(f"{base}/healthz/", "", poll)
        rounds = []
        for _ in range(WRK_ROUNDS):
            listed = wrk(f"{base}/desk/tenants/", session_cookie, poll, WRK_ROUND_ARGS)
            # A small page through the whole template stack (a 400 "invalid code" verify page).
            verified = wrk(f"{base}/verify/x/", "", poll, WRK_ROUND_ARGS)
            rounds.append((listed, verified))

    def ratio(a: dict, b: dict) -> float | None:
        return round(a["rps"] / b["rps"], 3) if b["rps"] else None

    def mean_of(runs: list[dict]) -> dict:
        return {
            "rps": round(statistics.mean(run["rps"] for run in runs), 2),
            "non_2xx_3xx": sum(run["non_2xx_3xx"] for run in runs),
            "latency_p50": runs[len(runs) // 2]["latency_p50"],
        }

    tenant_list, template_page = mean_of([r[0] for r in rounds]), mean_of([r[1] for r in rounds])

    return {
        "server": "gunicorn -w 2 (sync), sessions from Redis",
        "load": f"wrk {' '.join(WRK_ARGS)} (/healthz/); {WRK_ROUNDS} alternating rounds of wrk "
        f"{' '.join(WRK_ROUND_ARGS)} (tenant list, /verify/x/)",
        "round_ratios": [ratio(listed, verified) for listed, verified in rounds],
        "trivial_view": "/healthz/",
        "tenant_list_rps": tenant_list["rps"],
        "trivial_rps": health["rps"],
        "ratio": ratio(tenant_list, health),
        "tenant_list_p50_latency": tenant_list["latency_p50"],
        "trivial_p50_latency": health["latency_p50"],
        "template_page_rps": template_page["rps"],
        "ratio_to_template_page": ratio(tenant_list, template_page),
        "non_2xx_3xx_of_tenant_list": tenant_list["non_2xx_3xx"],
        "worker_peak_rss_mb": round(max(peak.values(), default=0) / 1024, 1),
        "workers_seen": len(peak),
    }


# --- putting it together --------------------------------------------------------------------------


def pages_within(pages: list[dict], queries: int, median_ms: float) -> tuple[bool, bool]:
    """Every page measured (no error) within the query count, and within the median time."""
    measured = bool(pages) and all("queries" in p for p in pages)
    return (
        measured and all(p["queries"] <= queries for p in pages),
        measured and all(p["median_ms"] <= median_ms for p in pages),
    )


def verdicts(result: dict) -> dict[str, bool | None]:
    """Each target: ``True``/``False``, or ``None`` when this run did not measure it."""
    pdf = result.get("certificate_pdf")
    receipt = result.get("receipt_pdf")
    portal = [v for v in result.get("portal_bill_list", {}).values() if isinstance(v, dict)]
    portal_queries, portal_ms = pages_within(
        portal, TARGETS["portal_bill_list_queries"], TARGETS["portal_bill_list_median_ms"]
    )
    tp = result.get("throughput")
    seed = result.get("seed_large_seconds")

    def measured(value: Any, check: Callable[[Any], bool]) -> bool | None:
        return None if value is None else check(value)

    verdict: dict[str, bool | None] = {
        "certificate_pdf_median_ms": measured(
            pdf, lambda p: p.get("median_ms", math.inf) <= TARGETS["certificate_pdf_median_ms"]
        ),
        "certificate_pdf_kib": measured(pdf, lambda p: p.get("size_kib", math.inf) <= TARGETS["certificate_pdf_kib"]),
        "certificate_pdf_glyphs": measured(pdf, lambda p: bool(p.get("glyphs_ok"))),
        "receipt_pdf_median_ms": measured(
            receipt, lambda p: p.get("median_ms", math.inf) <= TARGETS["receipt_pdf_median_ms"]
        ),
        "receipt_pdf_glyphs": measured(receipt, lambda p: bool(p.get("glyphs_ok"))),
        "portal_bill_list_queries": portal_queries if portal else None,
        "portal_bill_list_median_ms": portal_ms if portal else None,
        "seed_large_seconds": measured(seed, lambda v: v <= TARGETS["seed_large_seconds"]),
        "tenant_list_throughput_ratio": measured(tp, lambda t: bool(t["tenant_list_throughput"]["met"])),
        "worker_peak_rss_mb": measured(
            tp, lambda t: t.get("worker_peak_rss_mb", math.inf) <= TARGETS["worker_peak_rss_mb"]
        ),
    }
    for key in ("register_tenants", "register_units", "register_bills"):
        verdict[key] = measured(result.get(key), lambda r: bool(r["met"]))
    return verdict


def standalone(key: str, measure: Callable[[], dict], description: str) -> None:
    """A part's script run by itself (``python bench/<part>.py [--database NAME]``): run.py's
    bench database (seeded with the demo by run.py first), migrated, then ``measure()`` printed
    as JSON under ``key``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", default=None, help="database name (default: run.py's bench database)")
    args = parser.parse_args()
    dev_url = dev_database_url()
    name = args.database or f"{database_name(dev_url)}_bench"
    env = {
        **os.environ,
        "DATABASE_URL": with_db_name(dev_url, name),
        "MEDIA_ROOT": str(BENCH_MEDIA),
        "DJANGO_SETTINGS_MODULE": "jinyuan.settings",
        "PYTHONWARNINGS": "ignore",
    }
    manage(env, "migrate", "--no-input", "-v0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(json.dumps({"database": name, key: measure()}, ensure_ascii=False, indent=2, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALE_SIZES), default="large")
    parser.add_argument("--skip-seed", action="store_true", help="use the bench database as it is")
    parser.add_argument("--reseed", action="store_true", help="seed a fresh bench database even if seeded")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts to measure, of {','.join(PARTS)} (default all)"
    )
    args = parser.parse_args()
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")
    if "throughput" in parts and not shutil.which("wrk"):
        raise SystemExit("bench needs wrk, the HTTP load generator (apt-get install wrk)")
    load_at_start = round(os.getloadavg()[0], 2)

    dev_url = dev_database_url()
    # Each development database has its own bench database: two checkouts never reseed each other's.
    bench_url = with_db_name(dev_url, f"{database_name(dev_url)}_bench")
    BENCH_MEDIA.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "MEDIA_ROOT": str(BENCH_MEDIA),
        "DJANGO_SETTINGS_MODULE": "jinyuan.settings",
        "PYTHONWARNINGS": "ignore",
    }
    seed_seconds = prepare_database(args, env, with_db_name(dev_url, "postgres"), bench_url)
    log("VACUUM (ANALYZE) of the bench database")
    vacuum_analyze(bench_url)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    result: dict[str, Any] = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        # Other work on the machine skews every timing: note how busy it was.
        "load_average_1m_at_start": load_at_start,
        "database": database_name(bench_url),
        "parts": sorted(parts),
        "scale": args.scale,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "seed_large_seconds": seed_seconds if args.scale == "large" else None,
    }
    if "pdfs" in parts:
        log("rendering certificate and receipt PDFs")
        result["certificate_pdf"] = certificate_pdf()
        result["receipt_pdf"] = receipt_pdf()
    if "registers" in parts:
        log("timing every page of the tenant, unit and bill registers")
        result.update(register_figures())
    if "portal" in parts:
        log("timing the portal's bills")
        result["portal_bill_list"] = portal_bill_list()
    if "gate" in parts:
        log("timing the verify page as a guard among 50,000 live documents")
        from gate_check import gate_check  # bench/gate_check.py, beside this script

        result["gate_check"] = gate_check()
    if "deadlines" in parts:
        log("timing the deadline scan (100,000 running, 5,000 due; rolled back)")
        import deadline_scan  # bench/deadline_scan.py, beside this script

        result["deadline_scan"] = deadline_scan.measure()
    if "renovation" in parts:
        log("renovations and worker passes (10,000 and 50,000 copied once)")
        import renovation_passes  # bench/renovation_passes.py, beside this script

        result["renovation"] = renovation_passes.measure()
        # The register at the top level under the name its verdict has (as repair_list,
        # temporary_power_register): a summary that looks a verdict's figure up by its key finds it.
        result["renovation_list"] = result["renovation"].pop("renovation_list")
    if "access_passes" in parts:
        log("access passes (20,000 copied once)")
        import access_passes  # bench/access_passes.py, beside this script

        result["access_passes"] = access_passes.measure()
        result.setdefault("pass_registers", {}).update(result["access_passes"].pop("pass_registers"))
    if "parking" in parts:
        log("parking permits (3,000 copied once): the plate check and the register")
        import parking_permits  # bench/parking_permits.py, beside this script

        result["parking_permits"] = parking_permits.measure()
        result.setdefault("pass_registers", {}).update(result["parking_permits"]["pass_registers"])
    if "throughput" in parts:
        log("measuring throughput under gunicorn with wrk")
        client = desk_client()
        client.get("/desk/tenants/")  # the browser's cookies after its first page: session and CSRF
        cookies = [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]
        session = "; ".join(f"{name}={client.cookies[name].value}" for name in cookies if name in client.cookies)
        # The server as `make run` serves: with Redis (sessions read from it, written through).
        # Only the server gets the bench's own Redis: this process keeps its environment, so without
        # REDIS_URL its Celery tasks stay eager, as the seed's are.
        with redis_as_served() as redis_url:
            tp = throughput({**env, "REDIS_URL": redis_url}, session)
        ratio = tp["ratio_to_template_page"]
        tp["tenant_list_throughput"] = {
            "rps": tp["tenant_list_rps"],
            "verify_rps": tp["template_page_rps"],
            "ratio": ratio,
            "met": ratio is not None and ratio >= TARGETS["tenant_list_throughput_ratio"],
        }
        result["throughput"] = tp
        result["tenant_list_throughput"] = tp["tenant_list_throughput"]
        # The figure under its verdict's name too (as seed_large_seconds, worker_peak_rss_mb).
        result["tenant_list_throughput_ratio"] = ratio
        result["worker_peak_rss_mb"] = tp["worker_peak_rss_mb"]
    if "release_notes" in parts:
        log("release notes (50,000 copied once): the gate check and the register")
        import release_notes  # bench/release_notes.py, beside this script

        result["release_notes"] = release_notes.measure()
        # The pass registers of issue 9 share one key; each pass type adds its sub-entry.
        result.setdefault("pass_registers", {}).update(result["release_notes"].pop("pass_registers"))
        result["release_note_gate_check"] = result["release_notes"].pop("release_note_gate_check")
    if "temporary_power" in parts:
        log("temporary power (5,000 copied once): the register")
        import temporary_power  # bench/temporary_power.py, beside this script

        result["temporary_power"] = temporary_power.measure()
        result["temporary_power_seed_seconds"] = result["temporary_power"].pop("temporary_power_seed_seconds")
        result["temporary_power_register"] = result["temporary_power"].pop("temporary_power_register")
    if "elevator" in parts:
        log("freight-elevator slots (100,000 bookings copied once): free slots and booking attempts")
        import elevator  # bench/elevator.py, beside this script

        # Top-level keys as the issue names them: elevator_seed_seconds, elevator_free_slots,
        # elevator_booking_attempt (each free-slot and attempt entry with its own ``met``).
        figures = elevator.measure()
        elevator_met = figures.pop("met")
        figures.pop("targets")
        result.update(figures)
    if "venues" in parts:
        log("venues (40 spaces, 200,000 bookings copied once): free slots, booking attempts, the day's calendar")
        import venue_figures  # bench/venue_figures.py, beside this script

        # Top-level keys as the issue names them: venues_seed_seconds, free_slots,
        # booking_attempt, desk_calendar_day (each with its own ``met``).
        figures = venue_figures.measure()
        venues_met = figures.pop("met")
        result["venues_targets"] = figures.pop("targets")
        result.update(figures)
    if "frontdesk_duty" in parts:
        log("front desk (a year of shifts, entries and inquiries copied once): the visitor lookup, a shift's duty log")
        import frontdesk_duty  # bench/frontdesk_duty.py, beside this script

        # Top-level keys as the issue names them: duty_seed_seconds, inquiry_lookup, duty_log_page.
        figures = frontdesk_duty.measure()
        duty_met = figures.pop("met")
        result["frontdesk_duty_targets"] = figures.pop("targets")
        result.update(figures)
    if "frontdesk_notices" in parts:
        log("announcements (500 to all tenants, receipts copied once): the desk's unread list")
        import frontdesk_notices  # bench/frontdesk_notices.py, beside this script

        # Top-level keys as the issue names them: notices_seed_seconds, announcement_unread_list.
        figures = frontdesk_notices.measure()
        notices_met = figures.pop("met")
        result["notices_targets"] = figures.pop("targets")
        result.update(figures)
    # --- issue 17, patrols 巡视: bench/frontdesk_patrols.py (seeds a year of patrols) ---
    if "frontdesk_patrols" in parts:
        log("patrols (a year: ~11,000 tasks, ~200,000 point checks copied once, kept): the phone task page")
        import frontdesk_patrols  # bench/frontdesk_patrols.py, beside this script

        # Top-level keys as the issue names them: patrols_seed_seconds, patrol_task_page (with its
        # own ``met``); both verdicts under frontdesk_patrols_met.
        figures = frontdesk_patrols.measure()
        result["frontdesk_patrols_met"] = figures.pop("met")
        result["frontdesk_patrols_targets"] = figures.pop("targets")
        result.update(figures)

    # --- issue 17, management log 大厦管理日志: bench/management_log.py ---
    if "management_log" in parts:
        log("management log (a year of audit events, a busy day of 3,000, copied once): the day's draft")
        import management_log  # bench/management_log.py, beside this script

        # Top-level keys as the issue names them: management_log_seed_seconds, management_log_draft
        # (each with its own ``met``); the part's verdicts join result["met"] where the others do.
        figures = management_log.measure()
        management_log_met = figures.pop("met")
        result["management_log_targets"] = figures.pop("targets")
        result.update(figures)

    # --- issue 17, the supervisor dashboard (after the patrols' year): bench/dashboard.py ---
    if "dashboard" in parts:
        log("the supervisor dashboard (a year of deadline runs copied once) and the monthly report PDF")
        import dashboard  # bench/dashboard.py, beside this script

        # Top-level keys as the issue names them: supervisor_dashboard, monthly_report_pdf.
        figures = dashboard.measure()
        dashboard_met = figures.pop("met")
        result["dashboard_targets"] = figures.pop("targets")
        result.update(figures)

    if "hot_work" in parts:
        # After temporary power and the elevator: security's board shows their live rows too.
        log("hot-work permits (30,000 copied once): security's board and the permit's PDF")
        import hot_work  # bench/hot_work.py, beside this script

        result["hot_work"] = hot_work.measure()
        for key in ("hot_work_seed_seconds", "security_board", "hot_work_permit_pdf"):
            result[key] = result["hot_work"].pop(key)
    if "repairs" in parts:
        log("repair tickets (200,000 copied once): the register, the engineer's worklist, the intake")
        import repair_tickets  # bench/repair_tickets.py, beside this script

        # Top-level keys as the issue names them: repair_seed_seconds, repair_list,
        # engineer_worklist, repair_intake (each with its own ``met``).
        figures = repair_tickets.measure()
        repairs_met = figures.pop("met")
        figures.pop("targets")
        result.update(figures)
    if "complaints" in parts:
        # After the repairs: the monthly statistics cover both (with or without the 200,000 tickets).
        log("complaints (30,000 copied once): the register, the monthly statistics and their PDF")
        import complaint_figures  # bench/complaint_figures.py, beside this script

        # Top-level keys as the issue names them: complaint_seed_seconds, complaint_list,
        # monthly_statistics, statistics_pdf (each with its own ``met``).
        figures = complaint_figures.measure()
        complaints_met = figures.pop("met")
        result["complaint_targets"] = figures.pop("targets")
        result.update(figures)
    if "statements" in parts:
        log("statements 对账单: one tenant's 36 months (copied once) as one PDF")
        import statement_figures  # bench/statement_figures.py, beside this script

        # Top-level keys as the issue names them: statement_seed_seconds, statement_pdf (with its ``met``).
        figures = statement_figures.measure()
        statements_met = figures.pop("met")
        result["statement_targets"] = figures.pop("targets")
        result.update(figures)
    if "arrears" in parts:
        log("arrears: the late-fee run, a building's batch of notices, the whole bill ledger")
        import arrears_figures  # bench/arrears_figures.py, beside this script

        # Top-level keys as the issue names them: late_fee_run, arrears_notices_pdf,
        # bill_ledger_export (each with its own ``met``).
        figures = arrears_figures.measure()
        arrears_met = figures.pop("met")
        result["arrears_targets"] = figures.pop("targets")
        result.update(figures)
    if "collection" in parts:
        log("the collection dashboard over the bills (reminders and promises added, rolled back)")
        import collection_figures  # bench/collection_figures.py, beside this script

        # Top-level keys: collection_dashboard (with its own ``met``) and collection_data.
        figures = collection_figures.measure()
        collection_met = figures.pop("met")
        result.update(figures)
    if "payers" in parts:
        log("payers: customers' bills beside the tenants' (copied, rolled back): registers and the customer page")
        import payer_figures  # bench/payer_figures.py, beside this script

        # Top-level keys: customer_list, customer_detail, payer_ledgers (their ``met`` in payers_met).
        figures = payer_figures.measure()
        payers_met = figures.pop("met")
        result["payer_targets"] = figures.pop("targets")
        result.update(figures)
    if "invoices" in parts:
        log("invoice requests 发票 (20,000 copied once): the register")
        import invoice_figures  # bench/invoice_figures.py, beside this script

        # Top-level keys: invoice_seed_seconds, invoice_requests_list (with its own ``met``).
        figures = invoice_figures.measure()
        invoices_met = figures.pop("met")
        result["invoice_targets"] = figures.pop("targets")
        result.update(figures)
    if "meters" in parts:
        log("meters (5,000 units, 2 meters each, 36 months of readings copied once): a floor, a month's billing")
        import meter_figures  # bench/meter_figures.py, beside this script

        # Top-level keys as the issue names them: meter_seed_seconds, reading_round_page,
        # utility_billing_run (each with its own ``met``).
        figures = meter_figures.measure()
        meters_met = figures.pop("met")
        result["meter_targets"] = figures.pop("targets")
        result.update(figures)
    result["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    result["targets"] = TARGETS
    result["met"] = verdicts(result)
    if "deadline_scan" in result:
        result["met"].update(deadline_scan.verdicts(result["deadline_scan"]))
    if "renovation" in result:
        # renovation_list is a top-level figure (above), its verdict under the same name.
        verdicts_of = dict(result["renovation"]["met"])
        result["met"]["renovation_list"] = verdicts_of.pop("renovation_list")
        result["met"].update({f"renovation_{key}": met for key, met in verdicts_of.items()})
    if "release_notes" in result:
        result["met"].update({f"release_notes_{key}": met for key, met in result["release_notes"]["met"].items()})
    if "access_passes" in result:
        result["met"].update({f"access_passes_{key}": met for key, met in result["access_passes"]["met"].items()})
    if "parking_permits" in result:
        result["met"].update({f"parking_{key}": met for key, met in result["parking_permits"]["met"].items()})
    if "temporary_power" in result:
        result["met"].update({f"temporary_power_{key}": met for key, met in result["temporary_power"]["met"].items()})
    if "hot_work" in result:
        result["met"].update(result["hot_work"]["met"])
    if "elevator_free_slots" in result:
        result["met"].update(elevator_met)
    if "repair_list" in result:
        result["met"].update(repairs_met)
    if "complaint_list" in result:
        result["met"].update(complaints_met)
    if "statement_pdf" in result:
        result["met"].update(statements_met)
    if "arrears_targets" in result:
        result["met"].update(arrears_met)
    if "collection_dashboard" in result:
        result["met"].update(collection_met)
    if "payer_ledgers" in result:
        result["met"].update(payers_met)
    if "invoice_targets" in result:
        result["met"].update(invoices_met)
    if "meter_targets" in result:
        result["met"].update(meters_met)
    if "venues_targets" in result:
        result["met"].update(venues_met)
    if "frontdesk_duty_targets" in result:
        result["met"].update(duty_met)
    if "notices_targets" in result:
        result["met"].update(notices_met)
    if "management_log_targets" in result:
        result["met"].update(management_log_met)
    if "frontdesk_patrols_met" in result:
        result["met"].update(result["frontdesk_patrols_met"])
    if "dashboard_targets" in result:
        result["met"].update(dashboard_met)

    text = json.dumps(result, ensure_ascii=False, indent=2)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
