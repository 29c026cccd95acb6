"""Password reset by email, end to end through a real SMTP server (aiosmtpd) the test starts on 127.0.0.1."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller

pytestmark = pytest.mark.django_db
RESET = "/accounts/password_reset/"
NEW_PASSWORD = "Tidal-Lantern-Orbit-42"


class Collector:
    """aiosmtpd handler keeping every message it is sent."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def mailbox(settings):
    """The messages a real SMTP server received; the app sends to it with Django's SMTP backend."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield collector.messages
    controller.stop()


def sign_in(client, password: str) -> bool:
    return client.post("/accounts/login/", {"username": "head-user", "password": password}).status_code == 302


def test_the_login_page_links_to_the_password_reset(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


def test_a_user_resets_their_password_by_email_and_signs_in_with_the_new_one(client, settings, head, mailbox):
    response = client.post(RESET, {"email": "head-user@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()

    [message] = mailbox
    assert message["To"] == "head-user@example.com"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == "Reset your CCO Mandate password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.get_content()).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert "Your password is set" in client.get(done.url).content.decode()

    assert not sign_in(client.__class__(), "pw")
    assert sign_in(client.__class__(), NEW_PASSWORD)


def test_a_reset_link_works_only_once(client, head, mailbox):
    client.post(RESET, {"email": "head-user@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailbox[0].get_content()).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.__class__().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, head, mailbox):
    known = client.post(RESET, {"email": "head-user@example.com"})
    mailbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.com"})
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert mailbox == []


def test_a_mail_server_that_cannot_be_reached_does_not_break_the_page(client, settings, head):
    use_smtp(settings, free_port())  # nothing listens there
    response = client.post(RESET, {"email": "head-user@example.com"}, follow=True)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert sign_in(client.__class__(), "pw")
