"""Check-in reminders to department heads and escalations to the CCO, received by a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cco import roles
from goals.models import GoalStatus
from notifications.models import Notice, NoticeKind, NotificationPreference
from notifications.services import reminders_send
from tests.factories import CheckInFactory, DepartmentFactory, PeriodFactory, UserFactory

from .conftest import REMINDER_DAYS, days_ago, goal_in, last_checked_in, unchecked_for

pytestmark = pytest.mark.django_db


def test_head_is_emailed_their_unchecked_goals_with_links_to_check_in(smtp, quarter, service):
    goal = last_checked_in(goal_in(service, quarter, "Answer within a day"), days=REMINDER_DAYS + 1)

    report = reminders_send()

    assert report.sent == 1
    mail = smtp.one_to("hanna@example.com")
    assert mail.to == ["hanna@example.com"]
    assert mail.subject == f"Check-in reminder: 1 goal has had no check-in for {REMINDER_DAYS} days"
    check_in_url = f"https://cco.example.com/goals/{goal.pk}/check-in/"
    for part in (mail.text, mail.html):
        assert "Hello Hanna Holm" in part
        assert "hhead" not in part
        assert "Answer within a day" in part
        assert f"last check-in {REMINDER_DAYS + 1} days ago" in part
        assert check_in_url in part
    assert f'href="{check_in_url}"' in mail.html
    assert 'href="https://cco.example.com/"' in mail.html  # the dashboard


def test_only_active_goals_of_the_current_period_unchecked_for_n_days_are_listed(smtp, quarter, service):
    unchecked_for(goal_in(service, quarter, "Never checked in"), days=REMINDER_DAYS + 2)
    last_checked_in(goal_in(service, quarter, "Checked in last week"), days=7)
    unchecked_for(goal_in(service, quarter, "Created yesterday"), days=1)
    draft = goal_in(service, quarter, "A draft", status=GoalStatus.DRAFT)
    unchecked_for(draft, days=REMINDER_DAYS + 2)

    reminders_send()

    text = smtp.one_to("hanna@example.com").text
    assert "Never checked in" in text and "no check-in yet" in text
    assert "Checked in last week" not in text
    assert "Created yesterday" not in text
    assert "A draft" not in text


def test_a_goal_carried_into_a_new_period_counts_from_the_period_start(smtp, service):
    today = timezone.localdate()
    period = PeriodFactory(name="Fresh", start=today - timedelta(days=5), end=today + timedelta(days=80))
    unchecked_for(goal_in(service, period, "Carried over"), days=100)  # created long before the period began

    assert reminders_send().sent == 0
    assert smtp.received == []


def test_a_real_check_in_stops_the_reminder(smtp, quarter, service, hanna):
    goal = unchecked_for(goal_in(service, quarter, "Fresh reading"), days=REMINDER_DAYS + 5)
    CheckInFactory(goal=goal, by=hanna, at=days_ago(1))

    assert reminders_send().sent == 0
    assert smtp.received == []


def test_a_head_is_not_reminded_again_about_a_goal_within_n_days(smtp, quarter, service):
    goal_in(service, quarter, "Slow goal")
    unchecked_for(service.goals.get(), days=REMINDER_DAYS + 1)

    first = reminders_send()
    again_next_day = reminders_send(now=timezone.now() + timedelta(days=1))
    almost_n_days_later = reminders_send(now=timezone.now() + timedelta(days=REMINDER_DAYS - 1))

    assert (first.sent, again_next_day.sent, almost_n_days_later.sent) == (1, 0, 0)
    assert len(smtp.to("hanna@example.com")) == 1


def test_a_head_is_reminded_again_after_another_n_days(smtp, quarter, service):
    unchecked_for(goal_in(service, quarter, "Slow goal"), days=REMINDER_DAYS + 1)
    reminders_send()

    later = reminders_send(now=timezone.now() + timedelta(days=REMINDER_DAYS, hours=1))

    assert later.sent == 1
    assert len(smtp.to("hanna@example.com")) == 2


def test_a_new_overdue_goal_is_reminded_without_repeating_the_one_already_reminded(smtp, quarter, service):
    unchecked_for(goal_in(service, quarter, "Reminded yesterday"), days=REMINDER_DAYS + 1)
    reminders_send(now=timezone.now() - timedelta(days=1))
    unchecked_for(goal_in(service, quarter, "Newly overdue"), days=REMINDER_DAYS)

    reminders_send()

    latest = smtp.to("hanna@example.com")[-1].text
    assert "Newly overdue" in latest
    assert "Reminded yesterday" not in latest


def test_each_head_hears_only_about_their_own_departments_goals(smtp, quarter, service):
    other_head = UserFactory(username="shead", first_name="Sam", email="sam@example.com", role=roles.HEAD)
    sales = DepartmentFactory(name="Sales", heads=[other_head])
    unchecked_for(goal_in(service, quarter, "Service goal"), days=REMINDER_DAYS + 1)
    unchecked_for(goal_in(sales, quarter, "Sales goal"), days=REMINDER_DAYS + 1)

    reminders_send()

    assert "Sales goal" not in smtp.one_to("hanna@example.com").text
    sam = smtp.one_to("sam@example.com").text
    assert "Sales goal" in sam and "Service goal" not in sam and "Hello Sam" in sam


def test_a_head_who_turned_reminders_off_gets_nothing(smtp, quarter, service, hanna):
    NotificationPreference.objects.create(user=hanna, check_in_reminders=False)
    unchecked_for(goal_in(service, quarter, "Slow goal"), days=REMINDER_DAYS + 1)

    assert reminders_send().sent == 0
    assert smtp.received == []
    assert not Notice.objects.exists()


def test_a_head_without_an_email_address_gets_nothing(smtp, quarter, service, hanna):
    hanna.email = ""
    hanna.save()
    unchecked_for(goal_in(service, quarter, "Slow goal"), days=REMINDER_DAYS + 1)

    assert reminders_send().sent == 0
    assert smtp.received == []


def test_the_cco_is_told_when_a_goal_stays_unchecked_for_2n_days(smtp, quarter, service, chris):
    goal = unchecked_for(goal_in(service, quarter, "Forgotten goal"), days=2 * REMINDER_DAYS + 1)

    reminders_send()

    mail = smtp.one_to("chris@example.com")
    assert mail.subject == f"Escalation: 1 goal has had no check-in for {2 * REMINDER_DAYS} days"
    for part in (mail.text, mail.html):
        assert "Hello Chris Carter" in part
        assert "Customer Service" in part and "Forgotten goal" in part
        assert "head: Hanna Holm" in part  # who to talk to, by name
        assert f"https://cco.example.com/goals/{goal.pk}/" in part
    assert "Forgotten goal" in smtp.one_to("hanna@example.com").text  # the head is reminded too


def test_the_cco_is_not_told_before_2n_days(smtp, quarter, service, chris):
    unchecked_for(goal_in(service, quarter, "Late goal"), days=2 * REMINDER_DAYS - 1)

    reminders_send()

    assert smtp.to("chris@example.com") == []
    assert len(smtp.to("hanna@example.com")) == 1


def test_the_cco_is_not_told_twice_about_a_goal_within_n_days(smtp, quarter, service, chris):
    unchecked_for(goal_in(service, quarter, "Forgotten goal"), days=2 * REMINDER_DAYS + 1)
    reminders_send()

    reminders_send(now=timezone.now() + timedelta(days=REMINDER_DAYS - 1))
    assert len(smtp.to("chris@example.com")) == 1
    reminders_send(now=timezone.now() + timedelta(days=REMINDER_DAYS + 1))
    assert len(smtp.to("chris@example.com")) == 2


def test_a_cco_who_turned_escalations_off_gets_none(smtp, quarter, service, chris):
    NotificationPreference.objects.create(user=chris, escalations=False)
    unchecked_for(goal_in(service, quarter, "Forgotten goal"), days=2 * REMINDER_DAYS + 1)

    reminders_send()

    assert smtp.to("chris@example.com") == []


def test_an_escalation_lists_the_worst_twenty_goals_and_counts_the_rest(smtp, quarter, service, chris):
    for number in range(25):
        unchecked_for(goal_in(service, quarter, f"Goal {number:02}", weight=1), days=2 * REMINDER_DAYS + 1 + number)

    reminders_send()

    text = smtp.one_to("chris@example.com").text
    assert "25 goals have had no check-in" in smtp.one_to("chris@example.com").subject
    assert "Goal 24" in text  # the longest unchecked comes first
    assert "Goal 04" not in text
    assert "and 5 more" in text


def test_one_email_failing_does_not_stop_the_others_and_is_sent_next_time(smtp, quarter, service, caplog):
    other_head = UserFactory(username="shead", first_name="Sam", email="sam@example.com", role=roles.HEAD)
    sales = DepartmentFactory(name="Sales", heads=[other_head])
    unchecked_for(goal_in(service, quarter, "Service goal"), days=REMINDER_DAYS + 1)
    unchecked_for(goal_in(sales, quarter, "Sales goal"), days=REMINDER_DAYS + 1)
    smtp.refuse.add("hanna@example.com")

    report = reminders_send()

    assert (report.sent, report.failed) == (1, 1)
    assert len(smtp.to("sam@example.com")) == 1
    assert "Could not send the reminder email to Hanna Holm <hanna@example.com>" in caplog.text
    assert not Notice.objects.filter(user__email="hanna@example.com").exists()

    smtp.refuse.clear()
    assert reminders_send().sent == 1  # tomorrow's run tries again
    assert len(smtp.to("hanna@example.com")) == 1


def test_what_was_sent_is_remembered_per_goal(smtp, quarter, service, hanna):
    goals = [unchecked_for(goal_in(service, quarter, f"Goal {n}"), days=REMINDER_DAYS + 1) for n in range(2)]

    reminders_send()

    remembered = set(Notice.objects.filter(user=hanna, kind=NoticeKind.REMINDER).values_list("goal_id", flat=True))
    assert remembered == {goal.pk for goal in goals}


def test_a_goal_fed_by_a_data_source_is_not_the_heads_to_check_in(smtp, quarter, service):
    from mandates.models import SourceMetric
    from tests.factories import DataSourceFactory

    source = DataSourceFactory(name="Ticketing")
    SourceMetric.objects.create(data_source=source, name="backlog")
    fed = goal_in(service, quarter, "Keep the backlog short", data_source=source, source_metric="backlog")
    unchecked_for(fed, days=REMINDER_DAYS + 1)
    typed = last_checked_in(goal_in(service, quarter, "Answer within a day"), days=REMINDER_DAYS + 1)

    reminders_send()

    mail = smtp.one_to("hanna@example.com")
    assert typed.title in mail.text and fed.title not in mail.text


def test_a_head_of_two_departments_hears_of_both_longest_unchecked_first(smtp, quarter, service, hanna):
    sales = DepartmentFactory(name="Sales", heads=[hanna])
    unchecked_for(goal_in(service, quarter, "Service, unchecked a while"), days=REMINDER_DAYS + 2)
    unchecked_for(goal_in(sales, quarter, "Sales, unchecked longest"), days=REMINDER_DAYS + 5)
    unchecked_for(goal_in(service, quarter, "Service, unchecked longer"), days=REMINDER_DAYS + 3)

    reminders_send()

    text = smtp.one_to("hanna@example.com").text
    places = [text.index(title) for title in ("Sales, unchecked longest", "Service, unchecked longer",
                                              "Service, unchecked a while")]  # fmt: skip
    assert places == sorted(places)
