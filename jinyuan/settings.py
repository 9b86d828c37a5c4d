"""Settings for the Jinyuan service-center system, read from the environment.

Production overrides live in ``jinyuan/settings_production.py``; everything here is safe
for development and tests.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "金源CBD现代城客服中心 <service@jinyuan-cbd.example>"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A development key is fine here; production settings refuse to start without a real one.
SECRET_KEY = env("SECRET_KEY", default="dev-insecure-jinyuan-0b5c1b7e2f6d4a8c9e3f1a7d5b2c8e4f")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    # the kernel
    "jinyuan.accounts",
    "jinyuan.workflow",
    "jinyuan.documents",
    "jinyuan.attachments",
    "jinyuan.followups",
    # the domain
    "tenants",
    "billing",
    "permits",
    "renovation",
    "repairs",
    "complaints",
    "venues",
    "frontdesk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jinyuan.middleware.IdleSessionMiddleware",
    "jinyuan.middleware.PrivateCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes last: it reads the authentication result of everything above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jinyuan.urls"
WSGI_APPLICATION = "jinyuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jinyuan.context_processors.site",
                "jinyuan.context_processors.nav",
            ],
            # Money as the PDFs print it (¥12,345.60), the reader's colon, no-wrap tokens, state
            # badges, a faster {% url %} (same output) and the menus written in Python: in every
            # template without {% load %}.
            "builtins": [
                "jinyuan.templatetags.links",
                "jinyuan.templatetags.menus",
                "jinyuan.templatetags.money",
                "jinyuan.templatetags.states",
                "jinyuan.templatetags.typography",
                # Last: its ``date`` filter replaces Django's (same output, see the module).
                "jinyuan.templatetags.dates",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/jinyuan")}
# Persistent connections: a new PostgreSQL connection costs 8-12 ms, more than a list page's
# queries; health checks drop a connection the server closed. Each thread keeps its own, so
# the server must reuse its threads: gunicorn's gthread workers hold at most workers × threads
# connections (jinyuan/gunicorn_conf.py); runserver's thread per request leaks one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT: compiling a plan costs about 100 ms, more than any page's queries together, and a
# register search over a few thousand rows crosses jit_above_cost (PostgreSQL's default is on).
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jinyuan.accounts.backends.RoleAwareModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock the pair (username, address) so one noisy client cannot lock out a whole office.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# ISO dates first among the Chinese input formats (jinyuan/formats/zh_Hans): date inputs.
FORMAT_MODULE_PATH = ["jinyuan.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files and rendered PDFs are private: they are served only through views that check
# access and stream the bytes through Django, never from a public or presigned URL. App code
# reaches them only through the storage API (open/save/exists/delete), never a filesystem path,
# so the same code runs on a local directory (development, tests) or an S3-compatible bucket
# shared by every web server and worker (production: MinIO in docker-compose.yml, or S3).
_s3_bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
if _s3_bucket:
    _s3_endpoint = env("AWS_S3_ENDPOINT_URL", default="") or None
    _files_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": _s3_endpoint,
            "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
            # Empty keys: boto3 finds credentials itself (an instance or task role).
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            # Other S3-compatible stores answer at http://host:port/bucket/, not bucket.host.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path" if _s3_endpoint else "") or None,
            "location": env("AWS_LOCATION", default=""),
            "default_acl": "private",
            # A stray .url() must not hand out a working link: unsigned URLs of private objects
            # are refused by the store.
            "querystring_auth": False,
            # Upload names are random; a PDF is re-rendered onto its one fixed path.
            "file_overwrite": True,
        },
    }
else:
    MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
    _files_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/nonexistent/"},
    }
STORAGES = {
    "default": _files_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Staff share front-desk PCs: their sessions end 30 minutes after the last request (a stamp
# on the server; see jinyuan.middleware). Tenants use their own phones and keep a week.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
TENANT_SESSION_IDLE_MINUTES = env.int("TENANT_SESSION_IDLE_MINUTES", default=7 * 24 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 3600

# Content-Security-Policy (django-csp): everything from our own origin, no inline script or
# style (small behaviours live in static/js/app.js behind data attributes). QR codes are inline
# SVG markup and the favicon a data: URL. Private file views set a stricter policy themselves.
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The nonce only where a page asks for it (request.csp_nonce): FullCalendar's injected
        # stylesheet on the meeting-room calendar (venues) reads it from <meta name="csp-nonce">.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker the tasks run in-process (tests, manage.py commands). `make run` starts
# a redis-server on var/redis.sock when REDIS_URL is unset (scripts/serve.sh).
# One REDIS_URL for broker and cache: redis-py (the cache) names a Unix socket unix:///path,
# kombu (the broker) redis+socket:///path.
REDIS_URL = env("REDIS_URL")
if REDIS_URL.startswith("unix://"):
    CELERY_BROKER_URL = "redis+socket://" + REDIS_URL.removeprefix("unix://")
else:
    CELERY_BROKER_URL = REDIS_URL or "memory://"
# The worker may start a moment before `make run`'s redis-server: keep trying, do not exit.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every minute: an emergency repair allows 15 minutes, so a 5-minute scan would be late.
    "scan-deadlines": {"task": "workflow.scan_deadlines", "schedule": 60.0},
    # Seeds this year and next in the working calendar when missing (flagged if unconfirmed).
    "seed-calendar": {"task": "workflow.seed_calendar", "schedule": 86400.0},
    # Daily, not monthly: the task skips tenants already billed, and a missed first of the
    # month (beat down, deploy) is caught up the next day.
    "issue-monthly-bills": {"task": "billing.issue_monthly_bills", "schedule": 86400.0},
    # The reminder schedule 催缴 and broken promises to pay: hourly, each step once per bill.
    "send-arrears-reminders": {"task": "billing.send_arrears_reminders", "schedule": 3600.0},
    # Late fees 违约金 of last month, billed from the 1st; daily for the same reason (each bill
    # and month is billed once, whatever the number of runs).
    "bill-late-fees": {"task": "billing.bill_late_fees", "schedule": 86400.0},
    # ID scans and photos of people past PERSONAL_DATA_RETENTION_DAYS (jinyuan.privacy).
    "purge-personal-data": {"task": "privacy.purge_personal_data", "schedule": 86400.0},
    # A completed move-out dated in the future closes portal access on its date. Hourly so the
    # date is kept within the hour; the task skips companies already closed.
    "close-portal-access-due": {"task": "tenants.close_portal_access_due", "schedule": 3600.0},
    # Release notes unused at the end of their day are marked expired (the gate already says so).
    "expire-release-notes": {"task": "permits.expire_release_notes", "schedule": 3600.0},
    # Issued access cards past their last day become expired (idempotent: hourly is enough).
    "expire-access-passes": {"task": "permits.expire_access_passes", "schedule": 3600.0},
    # Completed repairs without the tenant's feedback for 7 days close (hourly: within the hour
    # of their seventh day; the task skips tickets already closed).
    "close-repairs-without-feedback": {"task": "repairs.close_without_feedback", "schedule": 3600.0},
    # Last month's service report (statistics PDF for the supervisor's sign-off) from the 1st.
    # Hourly, not daily: beat's first run of an interval comes one interval after it starts, so
    # a `make run` restarted now and then would rarely reach a daily one; the task is one
    # indexed look-up once the report exists.
    "draft-monthly-service-report": {"task": "complaints.draft_monthly_report", "schedule": 3600.0},
    # Meeting rooms: bookings not checked in VENUES_NO_SHOW_AFTER_MINUTES after the start become
    # no-shows, and VENUES_REMINDER_MINUTES before the start the booker is reminded (each once).
    "venues-mark-no-shows": {"task": "venues.mark_no_shows", "schedule": 300.0},
    "venues-send-reminders": {"task": "venues.send_reminders", "schedule": 300.0},
    # Announcements 公告 (frontdesk): approved ones published at their time, past ones expired;
    # every minute, so an outage notice goes out within the minute it was set for (each once).
    "frontdesk-publish-announcements": {"task": "frontdesk.publish_due_announcements", "schedule": 60.0},
    # --- patrols 巡视 (frontdesk/patrol_services.py) ---
    # The day's patrol tasks made (once each) and the long-past ones closed, every 5 minutes.
    "frontdesk-patrol-tick": {"task": "frontdesk.patrol_tick", "schedule": 300.0},
    # --- the building management log 大厦管理日志 (frontdesk/management_log_services.py) ---
    # Yesterday's log opened with its signing deadline; hourly, a repeated run opens nothing twice.
    "frontdesk-open-management-log": {"task": "frontdesk.open_management_log", "schedule": 3600.0},
    # --- quality checks 品质检查 (frontdesk/quality_services.py) ---
    # --- the supervisor dashboard's monthly report (frontdesk/dashboard_services.py) ---
    # Hourly and idempotent (the month is unique): last month's report from the 1st on, once.
    "frontdesk-draft-dashboard-report": {"task": "frontdesk.draft_dashboard_report", "schedule": 3600.0},
}
# Meeting rooms 会议室 (venues.rooms): a booking cancelled at least this many hours before its start
# has its fee bill voided and its free quota returned; later, the fee stays due. The door QR
# checks in a booking from this many minutes before its start; not checked in this many minutes
# after the start, it is a no-show; the reminder goes this many minutes before the start.
VENUES_CANCEL_CUTOFF_HOURS = env.int("VENUES_CANCEL_CUTOFF_HOURS", default=24)
VENUES_CHECK_IN_EARLY_MINUTES = env.int("VENUES_CHECK_IN_EARLY_MINUTES", default=15)
VENUES_NO_SHOW_AFTER_MINUTES = env.int("VENUES_NO_SHOW_AFTER_MINUTES", default=30)
VENUES_REMINDER_MINUTES = env.int("VENUES_REMINDER_MINUTES", default=60)
# Days an ID scan or a photo of a person is kept after its record closes (个人信息保护法).
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=183)
# Every periodic task this often instead (seconds): the test of `make run` uses 1.
if BEAT_EVERY_SECONDS := env.float("BEAT_EVERY_SECONDS", default=0):
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": BEAT_EVERY_SECONDS} for name, entry in CELERY_BEAT_SCHEDULE.items()
    }

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database. Only with a shared cache:
    # a per-process cache would serve one worker's stale copy of a session another changed.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Working calendar: default office hours of a year (editable per year in the admin).
OFFICE_HOURS = ("08:30", "17:30")
# Complaints 投诉 (PROCEDURES.md): working hours to acknowledge and to reply (urgent: 24), and
# the longest reply the supervisor may approve (characters).
COMPLAINT_ACKNOWLEDGE_HOURS = env.int("COMPLAINT_ACKNOWLEDGE_HOURS", default=2)
COMPLAINT_REPLY_HOURS = env.int("COMPLAINT_REPLY_HOURS", default=48)
COMPLAINT_URGENT_REPLY_HOURS = env.int("COMPLAINT_URGENT_REPLY_HOURS", default=24)
COMPLAINT_REPLY_MAX_LENGTH = env.int("COMPLAINT_REPLY_MAX_LENGTH", default=2000)
# Deadlines one scan transaction takes at most (its query count is fixed per batch).
DEADLINE_SCAN_BATCH = env.int("DEADLINE_SCAN_BATCH", default=10000)
# Text messages: a class with send(phone, text). The default writes them to the log.
SMS_BACKEND = env("SMS_BACKEND", default="jinyuan.workflow.sms.LogBackend")

# Meter readings (tenants.services.meters): a consumption above this many times the average of the
# meter's last readings is held for the supervisor's confirmation.
METER_JUMP_FACTOR = env.int("METER_JUMP_FACTOR", default=3)
METER_AVERAGE_READINGS = env.int("METER_AVERAGE_READINGS", default=6)
# Venues: a public-space use expecting this many people or more also needs security's approval
# (events always do).
VENUE_CROWD_FOR_SECURITY = env.int("VENUE_CROWD_FOR_SECURITY", default=100)

# Signed verification tokens printed as QR codes on documents.
DOCUMENT_VERIFY_SALT = "jinyuan.documents.verify"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Front desk, duty log (frontdesk/models/duty.py): the desk's shifts, in order; a shift ending
# at or before it starts runs into the next morning. Labels are msgids (translated when shown).
FRONTDESK_SHIFTS = [
    {"code": "day", "label": "Day shift", "starts": "08:00", "ends": "20:00"},
    {"code": "night", "label": "Night shift", "starts": "20:00", "ends": "08:00"},
]
