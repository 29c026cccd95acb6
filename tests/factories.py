"""factory_boy factories for the domain; small, explicit defaults a test can override."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("name",)

    name = "2026-Q4"
    start = date(2026, 10, 1)
    end = date(2027, 1, 1)
    is_current = True


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


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    goal = factory.SubFactory(GoalFactory)
    value = Decimal(10)


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"Source {n}")
    category = "behaviour"
    cco_has_access = True


ROLE_NAMES = roles.ALL_ROLES
