"""factory_boy factories for the domain; small, explicit defaults a test can override."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cco import roles
from departments.models import Department, Function, LineKind, ReportingLine
from goals.models import CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, Period
from mandates.models import DataSource


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


def user_with_role(role: str, username: str | None = None):
    return UserFactory(role=role, **({"username": username} if username else {}))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Department {n}")
    function = Function.MARKETING
    customer_facing = True

    @factory.post_generation
    def heads(self, create, extracted, **kwargs):
        if extracted:
            self.heads.set(extracted)


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingLine

    department = factory.SubFactory(DepartmentFactory)
    target = None
    kind = LineKind.DIRECT
    sets_goals = True
    signs_off_compensation = True
    can_veto = True


@dataclass(frozen=True)
class Quarter:
    name: str  # "2026-Q4"
    start: date
    end: date  # the next quarter's first day, as Period.end is


def quarter(offset: int = 0, *, today: date | None = None) -> Quarter:
    """The quarter `offset` quarters from the one containing today (the tests' periods follow the calendar, so
    check-ins dated "now" fall inside the current period whenever the suite runs)."""
    today = today or timezone.localdate()
    index = today.year * 4 + (today.month - 1) // 3 + offset
    year, q = divmod(index, 4)
    start = date(year, q * 3 + 1, 1)
    end = date(year + (q == 3), (q * 3 + 3) % 12 + 1, 1)
    return Quarter(f"{year}-Q{q + 1}", start, end)


class PeriodFactory(factory.django.DjangoModelFactory):
    """The current quarter by default; `PeriodFactory(**vars(quarter(1)), is_current=False)` for the next one."""

    class Meta:
        model = Period
        django_get_or_create = ("name",)

    name = factory.LazyFunction(lambda: quarter().name)
    start = factory.LazyFunction(lambda: quarter().start)
    end = factory.LazyFunction(lambda: quarter().end)
    is_current = True


def period_around_today() -> Period:
    """A current period that started 10 days ago, whatever day the tests run: readings dated "now" or "two days
    ago" fall inside it even on a quarter's first day."""
    today = timezone.localdate()
    return PeriodFactory(name="This quarter", start=today - timedelta(days=10), end=today + timedelta(days=80))


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerObjective

    category = "satisfaction"
    title = factory.Sequence(lambda n: f"Objective {n}")
    metric = "CSAT"
    unit = "%"
    baseline = Decimal(70)
    target = Decimal(80)
    period = factory.SubFactory(PeriodFactory)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    metric = "Metric"
    baseline = Decimal(0)
    target = Decimal(100)
    period = factory.SubFactory(PeriodFactory)
    weight = Decimal(25)


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalLink

    goal = factory.SubFactory(GoalFactory)
    objective = factory.SubFactory(ObjectiveFactory)
    kind = "supports"
    strength = Decimal(1)


class LeverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationLever

    goal = factory.SubFactory(GoalFactory)
    department = factory.LazyAttribute(lambda lever: lever.goal.department)
    manager = factory.SubFactory(UserFactory)
    share = Decimal(20)


def reading_time(goal: Goal) -> datetime:
    """Now, or the last minute a reading of the goal may be dated once its period (and grace) is over."""
    _opens, closes = CheckIn.reading_window(goal.period)
    return min(timezone.now(), closes - timedelta(minutes=1))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    goal = factory.SubFactory(GoalFactory)
    value = Decimal(10)
    at = factory.LazyAttribute(lambda check_in: reading_time(check_in.goal))


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"Source {n}")
    category = "behaviour"
    cco_has_access = True


ROLE_NAMES = roles.ALL_ROLES
