"""Production: refuses to start with DEBUG on, without a database or without a strong secret; HTTPS by default.

TLS is expected to end in front of the app (a reverse proxy or load balancer). The HTTPS settings come from the
environment so a loopback test over plain HTTP can turn them off (docs/operations.md, "Security headers").
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

for _required in ("SECRET_KEY", "DATABASE_URL"):
    if not env(_required, default=""):
        raise ImproperlyConfigured(f"{_required} must be set in production")


def refuse_weak_secret_key(key: str, *, min_length: int = 50, min_distinct: int = 5) -> None:
    """Raise ImproperlyConfigured for a key anyone could know or guess: Django's generated development keys, the
    placeholders this project once shipped ("change-me…"), and the keys Django's own security.W009 calls weak."""
    hint = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if key.startswith(("django-insecure-", "change-me")):
        raise ImproperlyConfigured(f"SECRET_KEY is a published placeholder or development key; {hint}")
    if len(key) < min_length:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {min_length} characters long (it has {len(key)}); {hint}"
        )
    if len(set(key)) < min_distinct:
        raise ImproperlyConfigured(f"SECRET_KEY must have at least {min_distinct} distinct characters; {hint}")


# Keep a worker's database connection between requests (a new one per request costs more than a dashboard's
# queries); the health check replaces a connection the server dropped (a restart) before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# The planner's price of reading a page out of order. PostgreSQL's default (4) assumes spinning disks; the data of an
# organisation of 2,000 departments (some 175 MB) stays in the server's memory, where PostgreSQL's documentation
# suggests a value near 1. With 4 the planner read all 40,000 goals (26 MB) where the goals' period index answers
# (docs/performance.md). Empty: the server's own setting.
_random_page_cost = env("DATABASE_RANDOM_PAGE_COST", default="1.1")  # noqa: F405
if _random_page_cost and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={float(_random_page_cost)}".strip()

SECRET_KEY = env("SECRET_KEY")
refuse_weak_secret_key(SECRET_KEY)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off in production: its error pages show settings, source code and SQL to anyone"
    )

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# HTTPS only: plain-HTTP requests are redirected, and browsers are told (HSTS) never to use plain HTTP again.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes (the compose healthcheck, a load balancer) call /healthz over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """ "HTTP_X_FORWARDED_PROTO,https" → the header and value that mark a request the proxy received over HTTPS;
    "off" (or empty) → None, for an app reached directly, where a client could send that header itself."""
    if value.strip().lower() in {"", "off", "false", "none"}:
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ImproperlyConfigured(
            f'SECURE_PROXY_SSL_HEADER must be "HEADER,value" (e.g. "HTTP_X_FORWARDED_PROTO,https") or "off", '
            f"not {value!r}"
        )
    return parts[0], parts[1]


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env("SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO,https"))
