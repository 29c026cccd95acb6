"""The accounts settings come from the environment (cco/settings/base.py, docs/operations.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "num_proxies": s.REST_FRAMEWORK["NUM_PROXIES"], "failure_limit": s.AXES_FAILURE_LIMIT,
    "address_failure_limit": s.AXES_ADDRESS_FAILURE_LIMIT,
    "cool_off_minutes": s.AXES_COOLOFF_TIME.total_seconds() / 60, "backend": s.EMAIL_BACKEND,
    "host": s.EMAIL_HOST, "port": s.EMAIL_PORT, "user": s.EMAIL_HOST_USER, "password": s.EMAIL_HOST_PASSWORD,
    "tls": s.EMAIL_USE_TLS, "from": s.DEFAULT_FROM_EMAIL,
}))
"""
VARIABLES = ("TRUSTED_PROXY_COUNT", "AXES_FAILURE_LIMIT", "AXES_ADDRESS_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES",
             "EMAIL_URL", "DEFAULT_FROM_EMAIL")  # fmt: skip


def settings_under(module: str, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.splitlines()[-1])


def test_lockout_proxies_and_mail_are_read_from_the_environment():
    read = settings_under(
        "cco.settings.test",
        TRUSTED_PROXY_COUNT="1",
        AXES_FAILURE_LIMIT="3",
        AXES_ADDRESS_FAILURE_LIMIT="40",
        AXES_COOLOFF_MINUTES="30",
        EMAIL_URL="smtp+tls://mailer:s3cret@smtp.example.com:587",
        DEFAULT_FROM_EMAIL="CCO <cco@example.com>",
    )
    assert read == {
        "num_proxies": 1,
        "failure_limit": 3,
        "address_failure_limit": 40,
        "cool_off_minutes": 30,
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.com",
        "port": 587,
        "user": "mailer",
        "password": "s3cret",
        "tls": True,
        "from": "CCO <cco@example.com>",
    }


def test_without_configuration_mail_goes_to_the_console_and_proxies_are_not_trusted():
    read = settings_under("cco.settings.local")
    assert (read["backend"], read["num_proxies"]) == ("django.core.mail.backends.console.EmailBackend", 0)
    assert (read["failure_limit"], read["address_failure_limit"], read["cool_off_minutes"]) == (5, 20, 15)
