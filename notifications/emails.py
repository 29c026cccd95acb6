"""Writing and sending the emails: a text and an HTML part from templates/notifications/email/, people named by
their names, links made absolute with SITE_URL. One email failing is logged and does not stop the others."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from cco.wording import person

logger = logging.getLogger(__name__)


def person_name(user) -> str:
    """First and last name, or the username when the person has given neither."""
    return person(user)


def absolute_url(name: str, *args) -> str:
    """The page named `name` (a URL name) as a link that works from an email: SITE_URL plus its path."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


@dataclass
class Outgoing:
    """One email to one person: `template` names the pair <template>.txt and <template>.html; `goal_ids` are the
    goals it tells them about (what is remembered once it is sent)."""

    kind: str
    user: object
    subject: str
    template: str
    context: dict
    goal_ids: list[int] = field(default_factory=list)

    @property
    def recipient(self) -> str:
        return f"{person_name(self.user)} <{self.user.email}>"

    def describe(self) -> str:
        return f"{self.kind} to {self.recipient}: {self.subject}"

    def message(self, connection) -> EmailMultiAlternatives:
        context = {
            "recipient_name": person_name(self.user),
            "dashboard_url": absolute_url("dashboard"),
            "profile_url": absolute_url("profile"),
        }
        context |= self.context
        base = f"notifications/email/{self.template}"
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=render_to_string(f"{base}.txt", context),
            to=[self.user.email],
            connection=connection,
        )
        message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
        return message


@dataclass
class SendReport:
    """What a run did: emails sent and failed, and a line per email it meant to send (what --dry-run prints)."""

    sent: int = 0
    failed: int = 0
    planned: list[str] = field(default_factory=list)


def send_each(outgoing: Iterable[Outgoing], *, on_sent: Callable[[Outgoing], None], dry_run: bool) -> SendReport:
    """Send every email through the configured backend over one connection, calling `on_sent` after each one that
    went out. A failure (the server refused a recipient, the connection dropped) is logged and counted, the
    connection is opened afresh, and the rest are still sent."""
    report = SendReport()
    connection = None if dry_run else get_connection()
    is_open = False
    try:
        for email in outgoing:
            report.planned.append(email.describe())
            if dry_run:
                continue
            try:
                if not is_open:
                    connection.open()
                    is_open = True
                email.message(connection).send()
            except Exception:  # whatever the backend raises, this email is lost and the others are not
                logger.exception("Could not send the %s email to %s", email.kind, email.recipient)
                report.failed += 1
                connection.close()
                is_open = False
                continue
            report.sent += 1
            on_sent(email)
    finally:
        if is_open:
            connection.close()
    return report
