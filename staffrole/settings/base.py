"""Settings shared by every environment, read from the environment (12-factor).

Environment variables: DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, MEDIA_ROOT, plus EMAIL_URL,
DEFAULT_FROM_EMAIL, SITE_URL and LOG_FORMAT (see .env.example).
Without DATABASE_URL the app uses SQLite under var/; without REDIS_URL Celery uses kombu's
filesystem transport under var/ and the cache lives in process memory.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
VAR_DIR.mkdir(exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "audit",
    "jobs",
    "scorecards",
    "kpis",
    "org",
    "reviews",
    "plans",
    "ladder",
    "hiring",
]

MIDDLEWARE = [
    "staffrole.observability.request_id_middleware",
    "staffrole.metrics.metrics_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "staffrole.api.json_errors_middleware",
    # A view's lost database or refused export queue becomes a 503 with Retry-After, not a 500.
    "staffrole.unavailable.ServiceUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "staffrole.observability.refused_requests_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns any view's refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffrole.urls"

WSGI_APPLICATION = "staffrole.wsgi.application"

# Content-Security-Policy, the same in every environment so that the test suite and the browser tests meet
# the policy production sends: no inline script, no eval, no inline style, nothing from other hosts.
# See docs/adr/0023-content-security-policy.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

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
                "staffrole.context_processors.navigation",
            ],
            "libraries": {"accounts": "staffrole.accounts", "bars": "staffrole.bars"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'staffrole.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, worker and beat share one SQLite file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database host that does not answer fails a request in seconds (503), never holds it for minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # No JIT compilation: once the tables are analysed at a few thousand reviews, the calibration queries'
    # estimated cost passes jit_above_cost and compiling them takes a second or more of a 100 ms query.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (docs/adr/0024-argon2-password-hashing.md): memory-hard, and a login holds a web worker
# for half as long as with PBKDF2 at a million iterations. A password stored with another hasher below
# still works, and is stored again with Argon2id at that person's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: see docs/adr/0008-login-lockout-and-security-logs.md
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Successful logins are in the security log and the audit trail; axes' own copy would only grow.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "staffrole.accounts.lockout_response"

# Mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.com:587; the console by default.
globals().update(
    {key: value for key, value in env.email_url("EMAIL_URL", default="consolemail://").items() if value is not None}
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="staffrole <staffrole@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails are built on this address, never on the Host header of the request that sent them.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: a Redis outage makes every read a miss, never a 500 (docs/adr/0022-service-failures.md).
            "BACKEND": "staffrole.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: see docs/adr/0002-task-queue-and-embedded-broker.md
# CELERY_BROKER_DIR lets a test run its own worker on a private folder of the embedded broker.
BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A message a worker took but never acknowledged (the worker was killed) goes back to the queue
    # after this long. Longer than a task may run (CELERY_TASK_TIME_LIMIT) plus its wait in a
    # worker's prefetch, so a running task is never handed out twice; short enough that an export
    # whose worker died finishes within minutes of a restart.
    # Workers look for such messages every 10 s (a single sorted-set range query), not every 100 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "unacked_restore_throttle": 1,
        # Without these a Redis that accepts connections but does not answer holds a publish (and the
        # request that sent it) forever; with them an export request fails in seconds with a 503.
        "socket_connect_timeout": 2,
        "socket_timeout": 3,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=150)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="staffrole")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "staffrole.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "staffrole API",
    "DESCRIPTION": "Role blueprints, reviews, calibration, KPIs and jobs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "JobStateEnum": "jobs.models.Job.State",
        "JobKindEnum": "jobs.models.Job.Kind",
        "KPISubjectKindEnum": "kpis.models.KPISeries.SubjectKind",
        "AssessmentStateEnum": "ladder.models.Assessment.State",
        "ReadinessEnum": "ladder.models.ManagerView.Readiness",
        "PlanStateEnum": "plans.models.Plan.State",
        "GoalStatusEnum": "plans.models.Goal.Status",
        "HiringRatingEnum": "hiring.models.Rating",
        "CandidateStageEnum": "hiring.models.Candidate.Stage",
        "OpeningStateEnum": "hiring.models.Opening.State",
        "DecisionOutcomeEnum": "hiring.models.Decision.Outcome",
        "SignalKindEnum": "hiring.models.SignalCheck.Kind",
    },
}

# /metrics (Prometheus) answers 404 unless the scraper sends `Authorization: Bearer METRICS_TOKEN` or its
# address is within METRICS_ALLOWED_IPS (addresses or networks, e.g. 10.0.0.0/8); local and test settings
# open it. See docs/adr/0021-metrics-and-request-ids.md.
METRICS_PUBLIC = False
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
for _network in METRICS_ALLOWED_IPS:
    ipaddress.ip_network(_network, strict=False)  # a typo stops the start, not every scrape

# Job result files older than this are removed by the nightly clean-up; the job row stays.
JOB_FILE_RETENTION_DAYS = env.int("JOB_FILE_RETENTION_DAYS", default=14)
# Exports of more people than this are split into parts of this many, rendered by workers side by side.
JOB_PART_SIZE = env.int("JOB_PART_SIZE", default=10)
# A job still queued after this long lost its message (a broker restarted without its data): it is failed
# so that the same export can be asked for again. Long enough for a deadline-day backlog to drain.
JOB_QUEUE_WAIT_LIMIT_MINUTES = env.int("JOB_QUEUE_WAIT_LIMIT_MINUTES", default=120)
# Uploaded blueprint documents larger than this are refused before parsing.
BLUEPRINT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024

# One JSON object per line by default (LOG_FORMAT=plain for a human format); every line carries the request id.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "staffrole.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "staffrole.observability.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO; its warnings (refused URLs among them) still show.
    # Axes logs each login at INFO; staffrole.security already has them, with the request id.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
