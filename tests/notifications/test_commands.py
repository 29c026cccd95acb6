"""`manage.py send_reminders` and `send_digests` for cron users, and the same through beat's tasks."""

from __future__ import annotations

from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from notifications import tasks
from notifications.models import Notice

from .conftest import REMINDER_DAYS, goal_in, unchecked_for

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue(quarter, service, chris):
    """A goal unchecked for 2N days: a reminder to its head and an escalation to the CCO are due."""
    return unchecked_for(goal_in(service, quarter, "Forgotten goal"), days=2 * REMINDER_DAYS + 1)


def test_send_reminders_sends_and_says_how_many(smtp, overdue):
    output = run("send_reminders")

    assert "2 reminder and escalation emails sent." in output
    assert {address for mail in smtp.received for address in mail.to} == {"hanna@example.com", "chris@example.com"}


def test_send_reminders_dry_run_prints_who_would_get_what_and_sends_nothing(smtp, overdue):
    output = run("send_reminders", "--dry-run")

    assert "Would send reminder to Hanna Holm <hanna@example.com>: Check-in reminder: 1 goal" in output
    assert "Would send escalation to Chris Carter <chris@example.com>: Escalation: 1 goal" in output
    assert "2 reminder and escalation emails would be sent (dry run: nothing sent)." in output
    assert smtp.received == []
    assert not Notice.objects.exists()  # the real run afterwards still sends them
    assert "2 reminder and escalation emails sent." in run("send_reminders")


def test_send_reminders_fails_loudly_when_an_email_could_not_be_sent(smtp, overdue):
    smtp.refuse.add("chris@example.com")

    with pytest.raises(CommandError, match="1 reminder and escalation emails could not be sent"):
        run("send_reminders")
    assert len(smtp.to("hanna@example.com")) == 1


def test_send_digests_sends_and_says_how_many(smtp, quarter, chris, eve, hanna):
    output = run("send_digests")

    assert "2 digest emails sent." in output
    assert {address for mail in smtp.received for address in mail.to} == {"chris@example.com", "eve@example.com"}
    assert "0 digest emails sent." in run("send_digests")  # not twice in a week


def test_send_digests_dry_run_sends_nothing(smtp, quarter, chris):
    output = run("send_digests", "--dry-run")

    assert "Would send digest to Chris Carter <chris@example.com>: Weekly digest" in output
    assert smtp.received == []


def test_beat_sends_reminders_daily_and_the_digest_weekly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    reminders, digests = schedule["send-reminders"], schedule["send-digests"]

    assert reminders["task"] == tasks.send_reminders.name == "notifications.send_reminders"
    assert digests["task"] == tasks.send_digests.name == "notifications.send_digests"
    assert reminders["schedule"] == crontab(minute=0, hour=7)
    assert digests["schedule"] == crontab(minute=0, hour=7, day_of_week="mon")
    assert reminders["options"]["expires"] == 24 * 3600
    assert digests["options"]["expires"] == 7 * 24 * 3600


def test_the_tasks_beat_sends_do_what_the_commands_do(smtp, overdue, eve):
    assert tasks.send_reminders.delay().get() == {"sent": 2, "failed": 0}
    assert tasks.send_digests.delay().get() == {"sent": 2, "failed": 0}
    assert len(smtp.to("chris@example.com")) == 2  # an escalation and a digest
