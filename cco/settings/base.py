"""Settings shared by every mode; everything that differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# goals.Goal's covering index includes columns PostgreSQL reads from the index; SQLite (make run, local tests)
# builds it without them, which is fine: the warning would only be noise on every migrate.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules",
    "simple_history",
    "cco",
    "departments",
    "goals",
    "mandates",
    "scoring",
    "pages",
    "demo",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]


ROOT_URLCONF = "cco.urls"
WSGI_APPLICATION = "cco.wsgi.application"

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
                "cco.context_processors.navigation",
                "pages.context_processors.needs",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Celery -------------------------------------------------------------------------------------------
# With no broker configured the app still works: tasks run eagerly in the web process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# No result backend by default: nothing reads task results (recompute jobs keep their state in the database), and
# with one in Redis a worker whose broker connection dropped mid-task died: Celery records the cancelled task's retry
# in the result backend, the same unreachable Redis, outside its reconnect loop ("Unrecoverable error";
# tests/operations/test_redis_outage.py).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A worker outlives a Redis outage of any length: it retries the broker forever instead of exiting after 100 tries,
# and a task interrupted by the lost connection is delivered again (every task is safe to run twice).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# visibility_timeout: a message taken by a worker that died outright goes back to the queue after this long. The
# database-side record of owed recomputes (goals.RecomputeRequest) and the reconcile make recovery faster than
# that; this is the backstop. It must stay longer than the longest task plus RECOMPUTE_COALESCE_SECONDS: the longest
# is a quarter's roll-over (scoring.rollover_jobs), about 500 s at 2,000 departments, so 30 minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
}
CELERY_RESULT_EXPIRES = 3600

# One cache shared by every process when Redis is there (API throttling counts across gunicorn workers). Short
# timeouts: when Redis is down, requests go on without it (cco.api.throttles) rather than wait.
CACHES = {
    "default": {
        "BACKEND": "cco.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# How long a read kept for every viewer (cco.shared_reads: the dashboard's organisation-wide parts, each user's
# "what needs me") may be served after it was computed; any write of the data replaces it sooner. 0 keeps nothing.
SHARED_READS_SECONDS = env.int("CCO_SHARED_READS_SECONDS", default=300)
# After a request that changed the data, compute those reads again once its response is sent, so the next viewer
# does not wait for them (one process at a time; cco.shared_reads).
KEPT_READS_WARM = env.bool("CCO_KEPT_READS_WARM", default=True)

# --- Keeping scores fresh through faults (docs/operations.md) ------------------------------------------
# How often beat sends the reconcile (owed recomputes, jobs whose worker died) and the full refresh.
RECONCILE_SECONDS = env.float("CCO_RECONCILE_SECONDS", default=30.0)
REFRESH_SECONDS = env.float("CCO_REFRESH_SECONDS", default=900.0)
# A change younger than this is left to its own recompute; older ones are scored by the reconcile.
RECOMPUTE_RECONCILE_GRACE_SECONDS = env.float("RECOMPUTE_RECONCILE_GRACE_SECONDS", default=15.0)
# Workers write a heartbeat this often (0: none); pages say "no worker" after WORKER_STALE_SECONDS without one.
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=10.0)
WORKER_STALE_SECONDS = env.float("WORKER_STALE_SECONDS", default=45.0)

# The periodic tasks, all of them. Each message expires after one interval, so a beat that ran on while no worker
# did leaves no backlog.
CELERY_BEAT_SCHEDULE = {
    # Scores the changes whose recompute never ran (broker down, worker killed) and resends orphaned jobs.
    "reconcile-scores": {
        "task": "scoring.reconcile_scores",
        "schedule": RECONCILE_SECONDS,
        "options": {"expires": RECONCILE_SECONDS},
    },
    # Recomputes everything: some of the mandate's checks depend on time passing (data-source ages).
    "refresh-scores": {
        "task": "scoring.reconcile_scores",
        "schedule": REFRESH_SECONDS,
        "kwargs": {"force": True},
        "options": {"expires": REFRESH_SECONDS},
    },
    # Check-in reminders to heads and escalations to the CCO (docs/notifications.md), daily at REMINDER_HOUR.
    "send-reminders": {
        "task": "notifications.send_reminders",
        "schedule": crontab(minute=0, hour=env.int("REMINDER_HOUR", default=7)),
        "options": {"expires": 24 * 3600},
    },
    # The weekly digest to the CCO and executives, on DIGEST_WEEKDAY at DIGEST_HOUR.
    "send-digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(
            minute=0, hour=env.int("DIGEST_HOUR", default=7), day_of_week=env("DIGEST_WEEKDAY", default="mon")
        ),
        "options": {"expires": 7 * 24 * 3600},
    },
}
# Beat's crontab hours are in the project's time zone.
CELERY_TIMEZONE = TIME_ZONE

# --- The product's own knobs ---------------------------------------------------------------------------
# Points each component of a department's alignment score can earn (positive ones are scaled to 100)
# and the points a fully conflicting goal portfolio takes away. See docs/alignment.md.
ALIGNMENT_WEIGHTS = {
    "linkage": env.float("ALIGNMENT_WEIGHT_LINKAGE", default=35.0),
    "shared": env.float("ALIGNMENT_WEIGHT_SHARED", default=15.0),
    "compensation": env.float("ALIGNMENT_WEIGHT_COMPENSATION", default=30.0),
    "reporting": env.float("ALIGNMENT_WEIGHT_REPORTING", default=20.0),
    "conflict": env.float("ALIGNMENT_WEIGHT_CONFLICT", default=30.0),
}
# Share of the organisation score coming from customer-facing departments vs. objective coverage.
ORGANISATION_WEIGHTS = {
    "departments": env.float("ORGANISATION_WEIGHT_DEPARTMENTS", default=80.0),
    "coverage": env.float("ORGANISATION_WEIGHT_COVERAGE", default=20.0),
}
# A supporting link a department head claims counts at this share of its strength until the CCO confirms it
# (like an unsigned lever); a rejected link counts nothing. See docs/alignment.md.
LINK_CLAIM_CREDIT = env.float("LINK_CLAIM_CREDIT", default=0.5)
# A goal's reading typed by its department (not fed by a data source) weighs this share in the objectives' roll-up
# of their supporting goals' progress: nobody moves their own number at full weight. See docs/alignment.md.
TYPED_READING_CREDIT = env.float("TYPED_READING_CREDIT", default=0.5)
# Competitor data older than this does not count as "timely".
COMPETITOR_DATA_MAX_AGE_DAYS = env.int("COMPETITOR_DATA_MAX_AGE_DAYS", default=30)
# Check-ins older than this flag a goal on the dashboard.
CHECK_IN_STALE_DAYS = env.int("CHECK_IN_STALE_DAYS", default=30)
# Heads are emailed about active goals without a check-in for this many days (again after as many more); the CCO
# after twice as many (docs/notifications.md). Links in emails start with SITE_URL.
CHECK_IN_REMINDER_DAYS = env.int("CHECK_IN_REMINDER_DAYS", default=14)
SITE_URL = env("SITE_URL", default="http://localhost:8000")
# A check-in may be dated up to this many days after its goal's period ends (the period's final reading).
CHECK_IN_GRACE_DAYS = env.int("CHECK_IN_GRACE_DAYS", default=14)
# Edits within this window are scored by one recompute task (one task per window at most, whatever the number of
# departments edited); it is also the shortest wait between an edit and its score (docs/performance.md).
RECOMPUTE_COALESCE_SECONDS = env.float("RECOMPUTE_COALESCE_SECONDS", default=0.4)
# ... and once edits arrive faster than they are scored (one found a recompute already waiting, less than this
# ago), this window instead: a burst runs about one task per window rather than one every RECOMPUTE_COALESCE_SECONDS.
RECOMPUTE_BURST_SECONDS = env.float("RECOMPUTE_BURST_SECONDS", default=1.5)
# A recompute owed for more departments than this scores everyone (cheaper than many partial reads).
RECOMPUTE_PARTIAL_MAX = env.int("RECOMPUTE_PARTIAL_MAX", default=200)

# Text limits are said and checked by the server, never enforced silently by the browser (cco/form_rendering.py).
FORM_RENDERER = "cco.form_rendering.Renderer"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "cco.log_filters.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per task run is noise in the web process (eager mode); workers log their own summary.
    "loggers": {
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
        # Django's own console handler (DEBUG only) printed each of its records a second time beside the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# --- REST API -----------------------------------------------------------------------------------------
# Token authentication comes first so an anonymous request gets 401 with `WWW-Authenticate: Token`.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cco.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["cco.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cco.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=50),
    "DEFAULT_THROTTLE_CLASSES": ["cco.api.throttles.AnonThrottle", "cco.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
    },
    "EXCEPTION_HANDLER": "cco.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "cco.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCO Mandate API",
    "DESCRIPTION": "Departments, goals, compensation levers, the CCO's mandate and alignment scores. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "GoalStatusEnum": "goals.models.GoalStatus",
        "ConfidenceEnum": "goals.models.Confidence",
        "LinkKindEnum": "goals.models.LinkKind",
        "LineKindEnum": "departments.models.LineKind",
        "MandateItemKindEnum": "mandates.models.ItemKind",
        "MandateItemStatusEnum": "mandates.models.ItemStatus",
        "RecomputeJobStateEnum": "scoring.models.RecomputeJobState",
    },
}


# --- Accounts: lockout, forwarded headers, email --------------------------------------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default): none, the header is
# ignored and the client is REMOTE_ADDR. Both the API's throttles and the sign-in lockout count per this address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Sign-in lockout with django-axes (cco/lockout.py, docs/operations.md): AXES_FAILURE_LIMIT failed sign-ins lock
# that username from that address, and AXES_ADDRESS_FAILURE_LIMIT from one address, whichever usernames, lock the
# address (higher, so that an office behind one address is not locked out by a few people mistyping), until
# AXES_COOLOFF_MINUTES have passed since the last of them. The web login, the admin's and the API's token exchange
# all count.
# Who is signed in is read through the cache (cco.identity); sessions too (cco.sessions), at most this long a copy.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "cco.identity.KeptUserBackend"]
SESSION_ENGINE = "cco.sessions"
SESSION_CACHE_SECONDS = env.int("CCO_SESSION_CACHE_SECONDS", default=300)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = max(AXES_FAILURE_LIMIT, env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20))
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Guesses made while locked out are refused without moving the end of the lockout the page announces.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "cco.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "cco.lockout.client_ip_address"
AXES_LOCKOUT_CALLABLE = "cco.lockout.lockout_response"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# No version banner on every manage.py command; failures and lockouts are still logged (logger "axes").
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)

# Outgoing email (password reset) from EMAIL_URL: consolemail:// (the default: printed to the log),
# smtp://host:25, smtp+tls://user:password@host:587, smtp+ssl://user:password@host:465.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CCO Mandate <no-reply@localhost>")


# --- API tokens ----------------------------------------------------------------------------------------
# django-rest-knox keeps only a hash of each key: a key is shown once, when it is issued (cco/api/tokens.py).
# Tokens expire API_TOKEN_TTL_HOURS after they are issued (using one does not extend it), a user holds at most
# API_TOKEN_LIMIT_PER_USER unexpired ones, and a password change revokes them all (cco/api/token_lifecycle.py).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=720.0)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env.int("API_TOKEN_LIMIT_PER_USER", default=10),
    "AUTH_HEADER_PREFIX": "Token",
}


# --- Security headers and Content-Security-Policy --------------------------------------------------------
# HTTPS, HSTS and the secret's rules are production's (cco/settings/production.py); the policy below holds in every
# mode, so the tests and the browser journeys run under it. docs/operations.md, "Security headers".
# Scripts come from our own origin only; an inline script must carry the request's nonce (`request.csp_nonce`:
# Swagger UI's start-up script, templates/drf_spectacular/swagger_ui.html). No inline style either: pages use
# classes from static/css/app.css and draw bars and charts as SVG with presentation attributes. `data:` images
# are Swagger UI's icons, written into its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
