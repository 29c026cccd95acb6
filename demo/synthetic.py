"""A synthetic organisation of any size, so anyone can try the product (and `make bench` can time it) at scale.

Rows are written with bulk_create (and their history with it), not through the services: 2,000 departments would
take an hour one service call at a time. The rules the services enforce hold by construction instead (weight and
pay budgets, authority the reporting lines grant, check-ins inside their period), and tests/demo checks them with
full_clean() on a sample of every model. The same seed builds the same organisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cco import roles
from cco.models import RecomputeRequest
from cco.wording import number as readable
from departments.models import Department, Function, LineKind, ReportingLine
from departments.reach import LineData, compute_reach
from goals.models import (
    CheckIn,
    CompensationLever,
    Confidence,
    CustomerObjective,
    Direction,
    Goal,
    GoalLink,
    GoalStatus,
    LinkKind,
    LinkReview,
    LinkTotal,
    Period,
    refresh_latest_readings,
)
from mandates.checklist import ensure_checklist
from mandates.models import DataSource, Decision, DecisionAction, EmpowermentSnapshot, ItemStatus, MandateItem
from mandates.services import empowerment_refresh
from scoring.models import AlignmentScore, RecomputeJob
from scoring.snapshots import scores_recompute

from .build import quarter_of
from .synthetic_data import FUNCTIONS, GOALS, OBJECTIVES, REASONS, REGIONS, SOURCES

PASSWORD = "synthetic"  # noqa: S105 - synthetic data only, printed with the logins
PREFIX = "synthetic-"  # every user the builder creates; --replace deletes these and no one else
BATCH = 2000
PREVIOUS_GOALS = 5  # goals per department in the previous quarter, each closed with a final reading
CENT = Decimal("0.01")


@dataclass
class Org:
    """What the builder made, for the command's summary and for the tests."""

    departments: int = 0
    goals: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    period: str = ""


def organisation_exists() -> bool:
    return Department.objects.exists() or Period.objects.exists()


def organisation_is_synthetic() -> bool:
    """Whether the organisation here is one this builder made: every head and every decision's author is one of its
    users. --replace deletes nothing else (a company's own organisation, or the demo, stays)."""
    people = get_user_model().objects.exclude(username__startswith=PREFIX)
    return not (
        Department.heads.through.objects.filter(user__in=people).exists()
        or Decision.objects.filter(by__in=people).exists()
    )


def organisation_delete() -> None:
    """Delete every department, goal, objective, period, decision, score and source (and their history), reset the
    checklist, and delete the users an earlier build made. Raw deletes: the rows go, no per-row signal runs."""
    models = [AlignmentScore, EmpowermentSnapshot, RecomputeRequest, RecomputeJob, Decision, CompensationLever]
    models += [LinkTotal, CheckIn, GoalLink, Goal, CustomerObjective, ReportingLine, Department.heads.through]
    models += [Department, Period, DataSource]
    history = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    for model in [*history, *models]:
        if model._meta.app_label in {"departments", "goals", "mandates", "scoring", "cco"}:
            rows = model._base_manager.all()
            rows._raw_delete(rows.db)
    MandateItem.objects.update(status=ItemStatus.NOT_GRANTED, evidence="", updated_by=None)
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


def _bulk(model, rows: list, *, user=None) -> list:
    if hasattr(model, "history"):
        return bulk_create_with_history(rows, model, batch_size=BATCH, default_user=user)
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _users(departments: int) -> dict:
    """An admin, the CCO, an executive and one head per department, all sharing one hashed password."""
    User, password = get_user_model(), make_password(PASSWORD)
    people = [("admin", roles.ADMIN, "Ada", "Admin"), ("cco", roles.CCO, "Chris", "Customer")]
    people += [("executive", roles.EXECUTIVE, "Eve", "Executive")]
    people += [(f"head-{i + 1:04d}", roles.HEAD, "Head", f"of department {i + 1}") for i in range(departments)]
    users = _bulk(
        User,
        [
            User(
                username=PREFIX + login,
                first_name=first,
                last_name=last,
                email=f"{PREFIX}{login}@example.com",
                password=password,
                is_staff=role == roles.ADMIN,
                is_superuser=role == roles.ADMIN,
            )
            for login, role, first, last in people
        ],  # fmt: skip
    )
    group = {g.name: g.pk for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    memberships = [User.groups.through(user_id=u.pk, group_id=group[p[1]]) for u, p in zip(users, people, strict=True)]
    User.groups.through.objects.bulk_create(memberships, batch_size=BATCH)
    return {"admin": users[0], "cco": users[1], "executive": users[2], "heads": users[3:]}


def _periods(admin) -> tuple[Period, Period]:
    name, start, end = quarter_of(timezone.localdate())
    previous_name, previous_start, _ = quarter_of(start - timedelta(days=1))
    previous = Period(name=previous_name, start=previous_start, end=start)
    current = Period(name=name, start=start, end=end, is_current=True)
    return tuple(_bulk(Period, [previous, current], user=admin))


def _objectives(rng: random.Random, departments: int, periods, cco) -> dict[int, list[CustomerObjective]]:
    """10 to 25 objectives spread over the five categories; the previous quarter had the same strategy."""
    wanted = min(25, 10 + departments // 150)
    picked = [(c, row) for c, rows in OBJECTIVES.items() for row in rows[:2]]
    extra = [(c, row) for c, rows in OBJECTIVES.items() for row in rows[2:]]
    picked += rng.sample(extra, wanted - len(picked))
    made = _bulk(
        CustomerObjective,
        [
            CustomerObjective(
                category=category,
                title=title,
                metric=metric,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                period=period,
                owner=cco,
                description=f"{metric}: {unit}",
            )
            for period in periods
            for category, (title, metric, unit, baseline, target) in picked
        ],  # fmt: skip
        user=cco,
    )
    return {period.pk: [o for o in made if o.period_id == period.pk] for period in periods}


def _departments(rng: random.Random, count: int, heads: list, admin) -> list[Department]:
    """The CEO's office first (not under the CCO), then a mix of functions, mostly customer-facing."""
    made = [Department(name="CEO's Office", function=Function.EXECUTIVE, customer_facing=False)]
    weights = [w for *_rest, w, _names in FUNCTIONS]
    for index in range(1, count):
        function, facing, _w, names = rng.choices(FUNCTIONS, weights)[0]
        name = f"{rng.choice(names)} {rng.choice(REGIONS)} {index:04d}"
        made.append(Department(name=name, function=function, customer_facing=rng.random() < facing))
    for department in made:
        department.description = f"Synthetic department; purpose: {department.purpose or 'internal'}."
    made = _bulk(Department, made, user=admin)
    through = Department.heads.through
    through.objects.bulk_create([through(department_id=d.pk, user_id=h.pk) for d, h in zip(made, heads, strict=True)])
    return made


def _flags(rng: random.Random, chance: float) -> dict[str, bool]:
    return {key: rng.random() < chance for key in ("sets_goals", "signs_off_compensation", "can_veto")}


def _lines(rng: random.Random, departments: list[Department], admin) -> dict:
    """A tree under the CCO: the first ~15% report to the CCO (direct, dotted or not at all), every other department
    to an earlier one (so no cycle), some with a second, dotted line; a few report to no one."""
    top = max(2, len(departments) * 15 // 100)
    lines: list[ReportingLine] = []
    for index, department in enumerate(departments[1:], start=1):
        roll = rng.random()
        if index <= top:
            if roll < 0.55:
                lines.append(ReportingLine(department=department, kind=LineKind.DIRECT, **_flags(rng, 0.8)))
            elif roll < 0.85:
                lines.append(ReportingLine(department=department, kind=LineKind.DOTTED, **_flags(rng, 0.2)))
            continue
        parent = departments[rng.randrange(1, index)]
        if roll < 0.92:
            kind, chance = (LineKind.DIRECT, 0.85) if roll < 0.85 else (LineKind.DOTTED, 0.3)
            lines.append(ReportingLine(department=department, target=parent, kind=kind, **_flags(rng, chance)))
            if rng.random() < 0.08:
                lines.append(ReportingLine(department=department, kind=LineKind.DOTTED, **_flags(rng, 0.2)))
            elif rng.random() < 0.05 and (other := departments[rng.randrange(1, index)]) != parent:
                lines.append(ReportingLine(department=department, target=other, kind=LineKind.DOTTED))
    for line in lines:
        line.note = "Synthetic line."
    made = _bulk(ReportingLine, lines, user=admin)
    data = [LineData(line.department_id, line.target_id, line.kind, line.sets_goals, line.signs_off_compensation,
                     line.can_veto) for line in made]  # fmt: skip
    return compute_reach([d.pk for d in departments], data)


def _weights(rng: random.Random, count: int) -> list[Decimal]:
    """`count` weights adding up to at most 100 (rounded down to the cent, so never above)."""
    total = Decimal(rng.choice([100, 100, 100, 95, 90, 80]))
    raw = [rng.uniform(1, 4) for _ in range(count)]
    return [(total * Decimal(r / sum(raw))).quantize(CENT, ROUND_DOWN) for r in raw]


def _goal(department: Department, period: Period, number: int, weight: Decimal, status: str, rng) -> Goal:
    title, metric, unit, baseline, target, direction = GOALS[number % len(GOALS)]
    scale = Decimal(rng.choice([1, 1, 2, 5, 10])) if unit not in {"%", "points"} else Decimal(1)
    title = title if number < len(GOALS) else f"{title} ({number})"
    return Goal(department=department, period=period, title=title, metric=metric, unit=unit, baseline=baseline * scale,
                target=target * scale, direction=Direction(direction), weight=weight, status=status,
                description=f"Move {metric.lower()}.")  # fmt: skip


def _goals(rng, departments, per_department: int, periods, reach, heads) -> tuple[list[Goal], list[Goal]]:
    """Each department's goals of the current quarter (most active, some drafts, a vetoed one now and then, an archived
    one) and up to PREVIOUS_GOALS closed goals of the previous quarter."""
    previous, current = periods
    rows: list[Goal] = []
    for department, head in zip(departments, heads, strict=True):
        statuses = [GoalStatus.ACTIVE] * per_department
        if per_department > 2 and rng.random() < 0.3:
            statuses[-1] = GoalStatus.DRAFT
        if per_department > 3 and rng.random() < 0.1:
            statuses[-2] = GoalStatus.ARCHIVED
        weights = iter(_weights(rng, statuses.count(GoalStatus.ACTIVE)))
        for number, status in enumerate(statuses):
            weight = next(weights) if status == GoalStatus.ACTIVE else Decimal(rng.randint(5, 20))
            rows.append(_goal(department, current, number, weight, status, rng))
            rows[-1].needs_approval = (
                status == GoalStatus.DRAFT and reach[department.pk].can_veto and rng.random() < 0.3
            )
            rows[-1]._history_user = head
        old = min(per_department, PREVIOUS_GOALS)
        for number, weight in enumerate(_weights(rng, old)):
            rows.append(_goal(department, previous, number, weight, GoalStatus.ACTIVE, rng))
            rows[-1]._history_user = head
    made = _bulk(Goal, rows)
    return [g for g in made if g.period_id == current.pk], [g for g in made if g.period_id == previous.pk]


def _decision(goal, action: str, subject: str, at, cco, *, lever=None) -> Decision:
    return Decision(department_id=goal.department_id, goal=goal, lever=lever, action=action, subject=subject[:255],
                    reason=REASONS[action], by=cco, at=at)  # fmt: skip


def _links(rng, goals: list[Goal], objectives: list, facing: set[int], cco, when) -> tuple[list, list]:
    """0–3 links per goal: supports (confirmed, claimed or rejected by the CCO) and conflicts (claimed by the head,
    or asserted by the CCO on customer-facing departments), with the CCO's decisions for each review."""
    links, decisions = [], []
    for goal in goals:
        for objective in rng.sample(objectives, rng.choices([0, 1, 2, 3], [20, 45, 25, 10])[0]):
            link = GoalLink(goal=goal, objective=objective, strength=Decimal(rng.randint(4, 20)) / 20)
            link.kind, roll = (LinkKind.CONFLICTS if rng.random() < 0.12 else LinkKind.SUPPORTS), rng.random()
            action = None
            if link.kind == LinkKind.CONFLICTS and goal.department_id in facing and roll < 0.4:
                link.asserted_by_cco, action = True, DecisionAction.ASSERT_CONFLICT
            elif link.kind == LinkKind.SUPPORTS and roll < 0.55:
                action = DecisionAction.CONFIRM_LINK
            elif link.kind == LinkKind.SUPPORTS and roll < 0.65:
                action = DecisionAction.REJECT_LINK
            if action:
                at = when()
                link.review = LinkReview.REJECTED if action == DecisionAction.REJECT_LINK else LinkReview.CONFIRMED
                link.reviewed_by, link.reviewed_at, link.review_reason = cco, at, REASONS[action]
                subject = f"{goal} → {objective} ({link.get_kind_display().lower()}, {readable(link.strength)})"
                decisions.append(_decision(goal, action, subject, at, cco))
            links.append(link)
    return links, decisions


def _check_ins(rng, goals: list[Goal], heads: dict[int, object], period: Period, *, final: bool) -> list[CheckIn]:
    """Current goals: 0–3 readings from the baseline toward the target, some stale. Closed goals: one final reading."""
    now = timezone.now() - timedelta(minutes=1)
    opens = CheckIn.reading_window(period)[0]
    rows = []
    for goal in goals:
        if final:
            at = timezone.make_aware(datetime.combine(period.end - timedelta(days=3), time(12)))
            readings = [(at, Decimal(rng.uniform(0.5, 1.1)), Confidence.ON_TRACK)]
        elif goal.status != GoalStatus.ACTIVE:
            continue
        else:
            stale = rng.random() < 0.1
            days = sorted(
                (rng.uniform(31, 60) if stale else rng.uniform(0, 45)) for _ in range(rng.choice([0, 1, 2, 3]))
            )
            confidence = rng.choices(list(Confidence), [70, 20, 10])[0]
            readings = [(max(opens, now - timedelta(days=d)), Decimal(rng.uniform(0, 0.8)), confidence) for d in days]
        for at, progress, confidence in readings:
            value = (goal.baseline + (goal.target - goal.baseline) * progress).quantize(Decimal("0.0001"))
            rows.append(CheckIn(goal=goal, value=value, confidence=confidence, by=heads[goal.department_id], at=at,
                                comment="Final reading." if final else "Weekly update."))  # fmt: skip
            rows[-1]._history_user = heads[goal.department_id]
    return rows


def _levers(rng, goals: list[Goal], heads: dict, reach, cco, when) -> tuple[list, list]:
    """0–3 levers per head on active goals, at most 100% of pay in all; some signed off where the line allows it."""
    by_department: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.status == GoalStatus.ACTIVE:
            by_department.setdefault(goal.department_id, []).append(goal)
    levers = []
    for department_id, active in by_department.items():
        budget = 100
        for goal in rng.sample(active, min(len(active), rng.choice([0, 1, 1, 2, 2, 3]))):
            share = min(budget, rng.randint(5, 45))
            if share <= 0:
                break
            budget -= share
            signed = reach[department_id].signs_off_compensation and rng.random() < 0.6
            levers.append(CompensationLever(department_id=department_id, manager=heads[department_id], goal=goal,
                                            share=Decimal(share), signed_off=signed, signed_off_at=when() if signed
                                            else None, signed_off_by=cco if signed else None))  # fmt: skip
    levers = _bulk(CompensationLever, levers, user=cco)
    decisions = [
        _decision(lever.goal, DecisionAction.SIGN_OFF, str(lever), lever.signed_off_at, cco, lever=lever)
        for lever in levers
        if lever.signed_off
    ]
    return levers, decisions


def _mandate(rng, admin, cco) -> None:
    now = timezone.now()
    sources = [DataSource(name=n, category=c, cco_has_access=a, last_refreshed_at=now - timedelta(days=d))
               for n, c, a, d in SOURCES]  # fmt: skip
    _bulk(DataSource, sources, user=admin)
    ensure_checklist(MandateItem)
    for item in MandateItem.objects.all():
        item.status = rng.choice(list(ItemStatus))
        item.evidence = "" if item.status == ItemStatus.NOT_GRANTED else "Agreed with the CEO in the charter review."
        item.updated_by = cco
        item.full_clean()
        item.save()


def synthetic_org_build(*, departments: int, goals: int, seed: int = 0, replace: bool = False) -> Org:
    """Build the organisation (one transaction: a failure leaves the database as it was), then score it once.

    Refuses (ValueError) when an organisation exists, unless `replace`: then it is deleted first, in the same
    transaction."""
    if departments < 1 or goals < 1:
        raise ValueError("Ask for at least one department and one goal per department.")
    rng = random.Random(seed)
    with transaction.atomic():
        if organisation_exists():
            if not replace:
                raise ValueError("This database already has an organisation; pass --replace to delete it first.")
            if not organisation_is_synthetic():
                raise ValueError(
                    "This database holds an organisation synthetic_org did not build (its heads or decisions are "
                    "people's); --replace deletes only synthetic organisations. Build into a database of its own."
                )
            organisation_delete()
        roles.ensure_role_groups(Group)
        users = _users(departments)
        admin, cco = users["admin"], users["cco"]
        periods = _periods(admin)
        start = periods[1].begins_at
        span = max(timezone.now() - timedelta(minutes=1) - start, timedelta(0))

        def when() -> datetime:
            return start + span * rng.random()

        objectives = _objectives(rng, departments, periods, cco)
        made = _departments(rng, departments, users["heads"], admin)
        reach = _lines(rng, made, admin)
        heads = {d.pk: h for d, h in zip(made, users["heads"], strict=True)}
        current, previous = _goals(rng, made, goals, periods, reach, users["heads"])
        facing = {d.pk for d in made if d.customer_facing}
        links, decisions = _links(rng, current, objectives[periods[1].pk], facing, cco, when)
        old_links, _ = _links(rng, previous, objectives[periods[0].pk], set(), cco, lambda: periods[0].begins_at)
        for link in old_links:
            if link.review == LinkReview.CLAIMED:
                link.review, link.reviewed_by, link.reviewed_at = LinkReview.CONFIRMED, cco, periods[0].begins_at
        _bulk(GoalLink, [*links, *old_links], user=cco)
        check_ins = _check_ins(rng, current, heads, periods[1], final=False)
        _bulk(CheckIn, check_ins + _check_ins(rng, previous, heads, periods[0], final=True))
        refresh_latest_readings(Goal.objects.all())  # bulk inserts bypass CheckIn.save, and the link totals
        levers, signed = _levers(rng, current, heads, reach, cco, when)
        for goal in current:
            if goal.needs_approval:
                decisions.append(_decision(goal, DecisionAction.VETO, str(goal), when(), cco))
            elif goal.status == GoalStatus.ACTIVE and reach[goal.department_id].sets_goals and rng.random() < 0.1:
                decisions.append(_decision(goal, DecisionAction.APPROVE, str(goal), when(), cco))
        _bulk(Decision, decisions + signed, user=cco)
        _mandate(rng, admin, cco)
        scores_recompute()
        empowerment_refresh()
    counts = {"goals": len(current) + len(previous), "links": len(links) + len(old_links), "levers": len(levers)}
    counts |= {"check-ins": len(check_ins), "decisions": len(decisions) + len(signed)}
    logins = [(u.username, role) for u, role in ((admin, roles.ADMIN), (cco, roles.CCO))]
    heads = f"{roles.HEAD} of {made[0]} (up to {users['heads'][-1].username}, one per department)"
    logins += [(users["executive"].username, roles.EXECUTIVE), (users["heads"][0].username, heads)]
    return Org(departments=len(made), goals=len(current), counts=counts, logins=logins, period=periods[1].name)
