"""Settings shared by every mode; everything that differs between machines comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules",
    "simple_history",
    "departments",
    "goals",
    "mandates",
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
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Nothing reads task results (recompute jobs keep their state in the database): one less thing Redis must hold.
CELERY_TASK_IGNORE_RESULT = True
# A worker outlives a Redis outage of any length: it retries the broker forever instead of exiting after 100 tries,
# and a task interrupted by the lost connection is delivered again (every task is safe to run twice).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# visibility_timeout: a message taken by a worker that died outright goes back to the queue after this long. The
# database-side record of owed recomputes (goals.RecomputeRequest) and the reconcile make recovery faster than
# that; this is the backstop. It must stay longer than the longest task plus RECOMPUTE_COALESCE_SECONDS.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
}
CELERY_RESULT_EXPIRES = 3600

# One cache shared by every process when Redis is there (API throttling counts across gunicorn workers). Short
# timeouts: when Redis is down, requests go on without it (cco.api.throttles) rather than wait.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

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
        "task": "goals.reconcile_scores",
        "schedule": RECONCILE_SECONDS,
        "options": {"expires": RECONCILE_SECONDS},
    },
    # Recomputes everything: some of the mandate's checks depend on time passing (data-source ages).
    "refresh-scores": {
        "task": "goals.reconcile_scores",
        "schedule": REFRESH_SECONDS,
        "kwargs": {"force": True},
        "options": {"expires": REFRESH_SECONDS},
    },
}

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
# Competitor data older than this does not count as "timely".
COMPETITOR_DATA_MAX_AGE_DAYS = env.int("COMPETITOR_DATA_MAX_AGE_DAYS", default=30)
# Check-ins older than this flag a goal on the dashboard.
CHECK_IN_STALE_DAYS = env.int("CHECK_IN_STALE_DAYS", default=30)
# Edits within this window are scored by one recompute.
RECOMPUTE_COALESCE_SECONDS = env.float("RECOMPUTE_COALESCE_SECONDS", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per task run is noise in the web process (eager mode); workers log their own summary.
    "loggers": {"celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")}},
}

# --- REST API -----------------------------------------------------------------------------------------
# Token authentication comes first so an anonymous request gets 401 with `WWW-Authenticate: Token`.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
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
        "RecomputeJobStateEnum": "goals.models.RecomputeJobState",
    },
}
