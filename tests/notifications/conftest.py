"""A real SMTP server (aiosmtpd) per test, and a small organisation whose goals have gone unchecked for a while.

The emails go through Django's SMTP backend to the server, which keeps every message it accepts; a test can make
it refuse a recipient (550) to see that one failure does not stop the others."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from cco import roles
from goals.models import Goal
from tests.factories import DepartmentFactory, GoalFactory, PeriodFactory, UserFactory

REMINDER_DAYS = 14


@dataclass
class Received:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Inbox:
    """What the SMTP server accepted, in order; `refuse` holds addresses it answers 550 to."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.to]

    def one_to(self, address: str) -> Received:
        mails = self.to(address)
        assert len(mails) == 1, f"{len(mails)} emails to {address}: {[m.subject for m in self.received]}"
        return mails[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A running SMTP server the project sends through for this test; yields its inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://cco.example.com"
    settings.CHECK_IN_REMINDER_DAYS = REMINDER_DAYS
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def quarter(db):
    """The current period, begun 60 days ago: goals can have gone 2N days without a check-in inside it."""
    today = timezone.localdate()
    return PeriodFactory(name="Now", start=today - timedelta(days=60), end=today + timedelta(days=30))


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def unchecked_for(goal: Goal, days: float) -> Goal:
    """The goal was created `days` ago and nobody has checked it in since."""
    Goal.objects.filter(pk=goal.pk).update(created_at=days_ago(days), last_check_in_at=None)
    goal.refresh_from_db()
    return goal


def last_checked_in(goal: Goal, days: float) -> Goal:
    """The goal's latest reading was taken `days` ago (created long before)."""
    Goal.objects.filter(pk=goal.pk).update(created_at=days_ago(59), last_check_in_at=days_ago(days))
    goal.refresh_from_db()
    return goal


@pytest.fixture
def hanna(role_groups):
    """A department head with a name (the emails must use it, not the login)."""
    return UserFactory(
        username="hhead", first_name="Hanna", last_name="Holm", email="hanna@example.com", role=roles.HEAD
    )


@pytest.fixture
def service(hanna):
    return DepartmentFactory(name="Customer Service", heads=[hanna])


@pytest.fixture
def chris(role_groups):
    """The CCO."""
    return UserFactory(
        username="ccolead", first_name="Chris", last_name="Carter", email="chris@example.com", role=roles.CCO
    )


@pytest.fixture
def eve(role_groups):
    """An executive."""
    return UserFactory(
        username="exec1", first_name="Eve", last_name="Ek", email="eve@example.com", role=roles.EXECUTIVE
    )


def goal_in(department, period, title: str, **kwargs) -> Goal:
    return GoalFactory(department=department, period=period, title=title, **kwargs)
