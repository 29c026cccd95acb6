"""The outcome scorecard's arithmetic: docs/alignment.md, "Outcome scorecard", worked through by the same numbers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from goals.models import ObjectiveReading
from goals.outcomes import objective_outcomes, scorecard
from tests.factories import CheckInFactory, GoalFactory, LinkFactory, ObjectiveFactory, period_around_today

pytestmark = pytest.mark.django_db


def test_the_worked_example(settings, department, other_department):
    """docs/alignment.md: NPS objective 20 → 60, now 30 (25 %); supporting goals at 50 % (confirmed, strength 1,
    fed by a data source) and 100 % (a claim of strength 0.8, credit 0.5, typed by its department, credit 0.5) roll
    up to 58.3 %; a rejected link and a goal without a check-in change nothing."""
    settings.LINK_CLAIM_CREDIT = settings.TYPED_READING_CREDIT = 0.5
    period = period_around_today()
    objective = ObjectiveFactory(category="satisfaction", period=period, baseline=Decimal(20), target=Decimal(60))
    halfway = GoalFactory(department=department, period=period, baseline=Decimal(0), target=Decimal(10))
    done = GoalFactory(department=other_department, period=period, baseline=Decimal(100), target=Decimal(80),
                       direction="lower")  # fmt: skip
    silent = GoalFactory(department=department, period=period)
    rejected = GoalFactory(department=other_department, period=period)
    LinkFactory(goal=halfway, objective=objective, strength=Decimal(1), review="confirmed")
    LinkFactory(goal=done, objective=objective, strength=Decimal("0.8"), review="claimed")
    LinkFactory(goal=silent, objective=objective, review="confirmed")
    LinkFactory(goal=rejected, objective=objective, review="rejected")
    CheckInFactory(goal=halfway, value=Decimal(5), source="Ticketing: first_contact_resolution")
    CheckInFactory(goal=done, value=Decimal(80))
    CheckInFactory(goal=rejected, value=Decimal(0))
    ObjectiveReading.objects.create(objective=objective, value=Decimal(24), at=timezone.now() - timedelta(days=2))
    ObjectiveReading.objects.create(objective=objective, value=Decimal(30), at=timezone.now() - timedelta(hours=1))

    [outcome] = objective_outcomes(period)
    assert outcome.current_value == Decimal(30)
    assert outcome.progress == pytest.approx(0.25)
    assert outcome.rollup == pytest.approx(0.7 / 1.2)  # 58.3 %
    assert (outcome.goals_reporting, outcome.goals_counted, outcome.goals_typed) == (2, 3, 1)

    rows = {row.category: row for row in scorecard(period)}
    assert list(rows) == ["acquisition", "satisfaction", "retention", "profitability", "experience_gap"]
    satisfaction = rows["satisfaction"]
    assert satisfaction.progress == pytest.approx(0.25) and satisfaction.valued == 1
    assert (satisfaction.goals_typed, satisfaction.goals_reporting) == (1, 2)
    assert satisfaction.change == pytest.approx(15.0)  # 10 % two days ago, 25 % now
    assert rows["acquisition"].progress is None and rows["acquisition"].change is None


def test_a_reading_a_department_typed_weighs_less_than_a_fed_one(
    settings, client, executive, department, other_department
):
    """Nobody moves their own number at full weight: two goals support the objective alike, confirmed; the one its
    department reports at 0 % is fed by a data source, the one reporting 100 % was typed by its head. The roll-up
    leans to the fed reading, and the dashboard says how many readings were typed."""
    settings.TYPED_READING_CREDIT = 0.5
    period = period_around_today()
    period.is_current = True
    period.save()
    objective = ObjectiveFactory(category="retention", period=period, baseline=Decimal(10), target=Decimal(20))
    fed = GoalFactory(department=department, period=period, baseline=Decimal(0), target=Decimal(10))
    typed = GoalFactory(department=other_department, period=period, baseline=Decimal(0), target=Decimal(10))
    for goal in (fed, typed):
        LinkFactory(goal=goal, objective=objective, strength=Decimal(1), review="confirmed")
    CheckInFactory(goal=fed, value=Decimal(0), source="CRM: renewals")
    CheckInFactory(goal=typed, value=Decimal(10))

    [outcome] = objective_outcomes(period)
    assert outcome.rollup == pytest.approx((1 * 0.0 + 0.5 * 1.0) / 1.5)  # 33.3 %, not the plain mean's 50 %
    assert outcome.goals_typed == 1

    client.force_login(executive)
    html = client.get("/").content.decode()
    row = html[html.index('data-category="retention"') :]
    row = row[: row.index("</tr>")]
    assert "33%" in row and "1 of 2 readings typed by its department, counted at reduced weight" in row


def test_the_dashboard_shows_the_scorecard(client, executive, department):
    period = period_around_today()
    period.is_current = True
    period.save()
    objective = ObjectiveFactory(category="retention", period=period, baseline=Decimal(10), target=Decimal(20))
    ObjectiveReading.objects.create(objective=objective, value=Decimal(15))
    client.force_login(executive)
    html = client.get("/").content.decode()
    assert "Is the strategy working?" in html
    row = html[html.index('data-category="retention"') :]
    row = row[: row.index("</tr>")]
    assert "50%" in row and "1 of 1" in row


def test_the_cco_records_an_objectives_value_on_its_page_and_nobody_else_may(client, cco_user, head, period):
    objective = ObjectiveFactory(period=period, baseline=Decimal(70), target=Decimal(80), title="CSAT up")
    client.force_login(head)
    assert client.post(f"/objectives/{objective.pk}/value/", {"value": "75"}).status_code == 403
    client.force_login(cco_user)
    bad = client.post(f"/objectives/{objective.pk}/value/", {"value": "high"})
    assert "value" in bad.context["form"].errors and not ObjectiveReading.objects.exists()
    client.post(f"/objectives/{objective.pk}/value/", {"value": "75", "comment": "From the board pack"})
    assert ObjectiveReading.objects.get().value == Decimal(75)
    listing = client.get("/objectives/").content.decode()
    assert "50% of the way" in listing


def test_a_fed_objective_takes_no_value_by_hand(cco_user, period):
    from goals.outcome_services import objective_reading_record
    from mandates.models import SourceMetric
    from tests.factories import DataSourceFactory

    source = DataSourceFactory(name="Survey")
    SourceMetric.objects.create(data_source=source, name="csat")
    objective = ObjectiveFactory(period=period, data_source=source, source_metric="csat")
    with pytest.raises(Exception, match="takes no value typed by hand"):
        objective_reading_record(actor=cco_user, objective=objective, value=Decimal(75))
    assert not ObjectiveReading.objects.exists()
