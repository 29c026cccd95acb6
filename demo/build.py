"""Builds the demo organisation (demo.data) through the services, so every rule applies.

Idempotent: each piece is looked up by its natural key first, so a second run changes nothing. The build is
one transaction (a failure leaves nothing half-loaded) and scores each stage, so the score history shows the
organisation taking shape.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cco import roles
from departments.models import Department, ReportingLine
from departments.services import department_create, reporting_line_create
from goals.links import LinkInput
from goals.models import (
    CheckIn,
    CompensationLever,
    Confidence,
    CustomerObjective,
    Direction,
    Goal,
    GoalLink,
    LinkKind,
    LinkReview,
    Period,
)
from goals.services import (
    check_in_create,
    goal_create,
    lever_create,
    objective_create,
    period_create,
    period_make_current,
)
from mandates.checklist import ensure_checklist
from mandates.models import DataSource, Decision, DecisionAction, EmpowermentSnapshot, MandateItem
from mandates.services import (
    data_source_create,
    empowerment_refresh,
    lever_sign_off,
    link_review,
    mandate_item_confirm,
    mandate_item_update,
)
from scoring.models import AlignmentScore
from scoring.snapshots import scores_recompute

from .data import (
    CLAIMS_LEFT_FOR_REVIEW,
    DEPARTMENTS,
    GOALS,
    LEVERS,
    LINES,
    MANDATE,
    OBJECTIVES,
    PASSWORD,
    PEOPLE,
    SOURCES,
)
from .outcomes import demo_outcomes


def quarter_of(day: date) -> tuple[str, date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return f"{day.year}-Q{(first_month - 1) // 3 + 1}", start, end


def _users() -> dict:
    User = get_user_model()
    users = {}
    for login, role, first, last in PEOPLE:
        user, created = User.objects.get_or_create(
            username=login, defaults={"first_name": first, "last_name": last, "email": f"{login}@example.com"}
        )
        if created:
            user.set_password(PASSWORD)
            user.is_staff = role == roles.ADMIN
            user.is_superuser = role == roles.ADMIN
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[login] = user
    return users


# The previous quarter's strategy lacked these objectives: the CCO added the expectation–experience gap this quarter.
PREVIOUS_QUARTER_LEFT_OUT = ("gap",)


def _periods(admin) -> Period:
    today = timezone.localdate()
    name, start, end = quarter_of(today)
    previous_name, previous_start, _ = quarter_of(start - timedelta(days=1))
    if not Period.objects.filter(name=previous_name).exists():
        period_create(actor=admin, name=previous_name, start=previous_start, end=start)
    current = Period.objects.filter(name=name).first() or period_create(
        actor=admin, name=name, start=start, end=end, is_current=True
    )
    next_name, next_start, next_end = quarter_of(end)
    if not Period.objects.filter(name=next_name).exists():
        period_create(actor=admin, name=next_name, start=next_start, end=next_end)
    return current


def _organisation(users) -> dict[str, Department]:
    admin = users["admin"]
    departments = {}
    for name, function, facing, head, description in DEPARTMENTS:
        departments[name] = Department.objects.filter(name=name).first() or department_create(
            actor=admin,
            data={"name": name, "function": function, "customer_facing": facing, "description": description},
            heads=[users[head]],
        )
    for source, target, kind, goals_, pay, veto, note in LINES:
        target_department = departments[target] if target else None
        if not ReportingLine.objects.filter(department=departments[source], target=target_department).exists():
            reporting_line_create(
                actor=admin,
                department=departments[source],
                data={
                    "target": target_department,
                    "kind": kind,
                    "sets_goals": goals_,
                    "signs_off_compensation": pay,
                    "can_veto": veto,
                    "note": note,
                },
            )
    return departments


def _objectives(users, period, *, left_out: tuple[str, ...] = ()) -> dict[str, CustomerObjective]:
    objectives = {}
    for key, category, title, metric, unit, baseline, target in OBJECTIVES:
        if key in left_out:
            continue
        objectives[key] = CustomerObjective.objects.filter(period=period, title=title).first() or objective_create(
            actor=users["cco"],
            data={
                "category": category,
                "title": title,
                "metric": metric,
                "unit": unit,
                "baseline": Decimal(baseline),
                "target": Decimal(target),
                "period": period,
            },
        )
    return objectives


def _goals(users, departments, objectives, period, *, only: str) -> None:
    heads = {name: users[head] for name, _f, _c, head, _d in DEPARTMENTS}
    for department_name, goals in GOALS.items():
        if department_name != only:
            continue
        department = departments[department_name]
        for index, (title, metric, unit, baseline, target, direction, weight, links) in enumerate(goals):
            if Goal.objects.filter(department=department, period=period, title=title).exists():
                continue
            goal = goal_create(
                actor=heads[department_name],
                department=department,
                data={
                    "title": title,
                    "metric": metric,
                    "unit": unit,
                    "baseline": Decimal(baseline),
                    "target": Decimal(target),
                    "direction": Direction(direction),
                    "period": period,
                    "weight": Decimal(weight),
                },
                links=[LinkInput(objectives[key], kind, Decimal(str(strength))) for key, kind, strength in links],
            )
            _check_ins(heads[department_name], goal, index)


def _previous_quarter(users, departments, period) -> None:
    """Last quarter as it was lived: the CCO's strategy then (without the expectation–experience gap, added this
    quarter), two departments' goals linked to it and closed with a final reading, and the scores and the empowerment
    evaluated three days before it ended (the CCO's powers were granted this quarter), so its dashboard, quarterly
    review and the quarter-by-quarter line have something to show."""
    previous = Period.objects.filter(end__lte=period.start).order_by("-start").first()
    # Lived while it was the current quarter: made current while it is filled in and scored (a closed quarter takes
    # no writes, goals.services.ensure_period_open), then the present one again.
    evaluated = timezone.now()
    period_make_current(actor=users["admin"], period=previous)
    objectives = _objectives(users, previous, left_out=PREVIOUS_QUARTER_LEFT_OUT)
    closing = timezone.make_aware(datetime.combine(previous.end - timedelta(days=3), time(12)))
    for department_name in ("Marketing", "Sales"):
        head = users[next(h for n, _f, _c, h, _d in DEPARTMENTS if n == department_name)]
        for title, metric, unit, baseline, target, direction, weight, links in GOALS[department_name]:
            if Goal.objects.filter(department=departments[department_name], period=previous, title=title).exists():
                continue
            goal = goal_create(
                actor=head,
                department=departments[department_name],
                data={
                    "title": title,
                    "metric": metric,
                    "unit": unit,
                    "baseline": Decimal(baseline),
                    "target": Decimal(target),
                    "direction": Direction(direction),
                    "period": previous,
                    "weight": Decimal(weight),
                },
                links=[
                    LinkInput(objectives[key], kind, Decimal(str(strength)))
                    for key, kind, strength in links
                    if key in objectives
                ],
            )
            check_in_create(
                actor=head,
                goal=goal,
                value=goal.baseline + (goal.target - goal.baseline) * Decimal("0.8"),
                confidence=Confidence.ON_TRACK,
                comment="Quarter closed.",
                at=closing,
            )
    scores_recompute()
    empowerment_refresh()
    period_make_current(actor=users["admin"], period=period)
    AlignmentScore.objects.filter(period=previous).update(computed_at=closing)
    # Its strategy was set when it began: the quarterly review marks an objective created after the last score.
    CustomerObjective.objects.filter(period=previous).update(created_at=previous.begins_at)
    EmpowermentSnapshot.objects.filter(computed_at__gte=evaluated).update(computed_at=closing)


def _reading_times(period: Period, *days_ago: int) -> list[datetime]:
    """Now less each of `days_ago`; early in a period, when the earliest would fall before the period's start, the
    readings are spread in the same proportions between its start and now (a check-in is dated in its period)."""
    now = timezone.now()
    opens, _closes = CheckIn.reading_window(period)
    span, wanted = now - opens, timedelta(days=max(days_ago))
    scale = min(1.0, max(0.0, span / wanted)) if wanted else 1.0
    return [max(opens, now - timedelta(days=days) * scale) for days in days_ago]


def _check_ins(head, goal: Goal, index: int) -> None:
    """Two readings per goal, moving from the baseline toward the target; a few goals fall behind."""
    first_at, update_at = _reading_times(goal.period, 40, index + 2)
    step = (goal.target - goal.baseline) / 4
    confidence = [
        Confidence.ON_TRACK,
        Confidence.ON_TRACK,
        Confidence.AT_RISK,
        Confidence.ON_TRACK,
        Confidence.OFF_TRACK,
    ][index % 5]
    readings = [(first_at, goal.baseline + step, Confidence.ON_TRACK, "First reading of the quarter.")]
    if index != 3:  # every fourth goal has not been checked in for weeks: the dashboard flags it as stale
        value = goal.baseline + step * (2 if confidence == Confidence.ON_TRACK else 1)
        readings.append((update_at, value, confidence, "Weekly update."))
    for at, value, conf, comment in readings:
        check_in_create(actor=head, goal=goal, value=value, confidence=conf, comment=comment, at=at)


def _levers(users, departments, period) -> None:
    for manager, department_name, goal_title, share, signed in LEVERS:
        goal = Goal.objects.get(department=departments[department_name], period=period, title=goal_title)
        lever = CompensationLever.objects.filter(manager=users[manager], goal=goal).first() or lever_create(
            actor=users[manager],
            department=departments[department_name],
            data={"manager": users[manager], "goal": goal, "share": Decimal(share)},
        )
        if signed and not lever.signed_off and not Decision.objects.filter(lever=lever).exists():
            lever_sign_off(
                actor=users["cco"], lever=lever, reason="Tied to a customer objective; agreed with the head."
            )


def _link_reviews(users, period) -> None:
    """The CCO confirms the departments' supporting links of the period, except the claims left for the queue."""
    left = {(department, title, objective) for department, title, objective in CLAIMS_LEFT_FOR_REVIEW}
    objective_keys = {title: key for key, _category, title, *_rest in OBJECTIVES}
    claims = GoalLink.objects.filter(
        goal__period=period, kind=LinkKind.SUPPORTS, review=LinkReview.CLAIMED
    ).select_related("goal__department", "objective")
    for link in claims.order_by("pk"):
        if (link.goal.department.name, link.goal.title, objective_keys.get(link.objective.title)) in left:
            continue
        link_review(
            actor=users["cco"],
            link=link,
            action=DecisionAction.CONFIRM_LINK,
            reason="Reviewed with the department head: the goal does move this objective.",
        )


def _mandate(users) -> None:
    now = timezone.now()
    for name, category, access, days in SOURCES:
        if not DataSource.objects.filter(name=name).exists():
            data_source_create(
                actor=users["admin"],
                data={
                    "name": name,
                    "category": category,
                    "cco_has_access": access,
                    "last_refreshed_at": now - timedelta(days=days),
                },
            )
    for key, status, evidence, confirmed in MANDATE:
        item = MandateItem.objects.get(key=key)
        if not item.evidence:
            item = mandate_item_update(actor=users["cco"], item=item, status=status, evidence=evidence)
            if confirmed:
                mandate_item_confirm(actor=users["executive"], item=item)


def organisation_exists() -> bool:
    """Whether the database already holds an organisation (the demo, used since, or a real one)."""
    return Department.objects.exists() or CustomerObjective.objects.exists() or Goal.objects.exists()


def build_demo_organisation() -> dict:
    """Build the demo organisation into an empty database and compute its scores; leave any organisation alone.

    `make run` loads the demo on every start. Once people have used it (renamed, archived, deleted, re-weighted
    anything), building it again could contradict their changes, so a database that holds an organisation is
    never written: only the role groups and the checklist items, which the product needs, are made sure of.

    All or nothing: one transaction, so a failure at any stage leaves the database as it was. The scores are
    computed after each stage inside it, so the trend still shows the organisation taking shape.
    """
    if organisation_exists():
        with transaction.atomic():
            roles.ensure_role_groups(Group)
            ensure_checklist(MandateItem)
        current = Period.objects.filter(is_current=True).first()
        return {"users": [login for login, *_ in PEOPLE], "period": current.name if current else None, "kept": True}
    with transaction.atomic():
        roles.ensure_role_groups(Group)
        ensure_checklist(MandateItem)
        users = _users()
        period = _periods(users["admin"])
        departments = _organisation(users)
        _previous_quarter(users, departments, period)
        scores_recompute()
        objectives = _objectives(users, period)
        for name in GOALS:  # one stage per department: the organisation score's trend shows each joining in
            _goals(users, departments, objectives, period, only=name)
            scores_recompute()
        _link_reviews(users, period)
        _levers(users, departments, period)
        scores_recompute()
        _mandate(users)
        demo_outcomes(users, objectives, period, _reading_times)
        scores_recompute()
        empowerment_refresh()
    return {"users": [login for login, *_ in PEOPLE], "period": period.name, "kept": False}
