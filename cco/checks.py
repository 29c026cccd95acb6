"""System checks of the project's own: what `manage.py check --deploy` should say before people rely on it."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

UNSENT_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security, deploy=True)
def email_is_sent(app_configs, **kwargs):
    """Password reset answers "check your email" whatever happens: in a deployment the mail must really leave."""
    if settings.EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS:
        return [
            Warning(
                "Email is not sent anywhere: password-reset links only reach the log.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 (docs/operations.md).",
                id="cco.W001",
            )
        ]
    return []
