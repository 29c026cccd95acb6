"""The demo organisation of PRODUCT.md, built through the services so every rule applies.

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
from departments.models import Department, Function, LineKind, ReportingLine
from departments.services import department_create, reporting_line_create
from goals.models import CompensationLever, Confidence, CustomerObjective, Direction, Goal, Period
from goals.scoring import scores_recompute
from goals.services import LinkInput, check_in_create, goal_create, lever_create, objective_create, period_create

from .checklist import ensure_checklist
from .models import DataSource, Decision, ItemStatus, MandateItem
from .services import data_source_create, empowerment_refresh, lever_sign_off, mandate_item_update

PASSWORD = "demo"  # noqa: S105 - demo data only, never production settings

# (login, role, first name, last name)
PEOPLE = [
    ("admin", roles.ADMIN, "Ada", "Admin"),
    ("cco", roles.CCO, "Chris", "Customer"),
    ("executive", roles.EXECUTIVE, "Eve", "Executive"),
    ("head-marketing", roles.HEAD, "Mia", "Marketing"),
    ("head-sales", roles.HEAD, "Sam", "Sales"),
    ("head-service", roles.HEAD, "Sol", "Service"),
    ("head-product", roles.HEAD, "Pat", "Product"),
    ("head-research", roles.HEAD, "Rae", "Research"),
    ("head-ceo", roles.HEAD, "Cory", "CEO"),
]

# name, function, customer-facing, head, description
DEPARTMENTS = [
    ("Marketing", Function.MARKETING, True, "head-marketing", "Understands and meets customer needs and wants."),
    ("Sales", Function.SALES, True, "head-sales", "Sells customers what they are willing to buy."),
    (
        "Customer Service & Support",
        Function.SERVICE,
        True,
        "head-service",
        "Addresses customer inquiries and problems.",
    ),
    ("Product Development", Function.PRODUCT, True, "head-product", "Builds new products customers want."),
    ("Market Research", Function.RESEARCH, True, "head-research", "Identifies customer needs and wants."),
    (
        "CEO's Office",
        Function.EXECUTIVE,
        False,
        "head-ceo",
        "Builds an organisation centred on customers; the CCO reports here, so it is not under the CCO.",
    ),
]

# department, target (None = CCO's office), kind, sets goals, signs off pay, can veto, note
LINES = [
    ("Marketing", None, LineKind.DIRECT, True, True, True, "Reports to the CCO with full authority."),
    ("Customer Service & Support", None, LineKind.DIRECT, True, True, True, "Reports to the CCO."),
    (
        "Sales",
        None,
        LineKind.DOTTED,
        False,
        False,
        False,
        "Dotted line only: the CCO is consulted but has no say over goals or pay.",
    ),
    ("Market Research", "Marketing", LineKind.DIRECT, True, True, False, "Part of Marketing."),
]

# key, category, title, metric, unit, baseline, target
OBJECTIVES = [
    (
        "acq",
        "acquisition",
        "Win customers in target segments",
        "New customers in target segments",
        "customers",
        400,
        520,
    ),
    ("sat", "satisfaction", "Raise customer satisfaction", "CSAT", "%", 78, 85),
    ("ret", "retention", "Keep more customers for longer", "12-month retention", "%", 82, 88),
    ("ret2", "retention", "Stop small-business churn", "Small-business churn", "%", 14, 9),
    ("pro", "profitability", "Grow long-term customer profitability", "Customer lifetime value", "EUR", 4200, 4800),
    (
        "gap",
        "experience_gap",
        "Close the expectation–experience gap",
        "Expectation minus experience score",
        "points",
        18,
        10,
    ),
]

S, C = "supports", "conflicts"
# department -> goals: title, metric, unit, baseline, target, direction, weight, links [(objective key, kind, strength)]
GOALS = {
    "Marketing": [
        (
            "Grow qualified leads from target segments",
            "Qualified leads",
            "leads",
            900,
            1200,
            "higher",
            30,
            [("acq", S, 0.8)],
        ),
        (
            "Publish the voice-of-customer report monthly",
            "Reports published",
            "reports",
            0,
            3,
            "higher",
            20,
            [("sat", S, 0.6), ("gap", S, 0.7)],
        ),
        (
            "Run the onboarding journey for new customers",
            "Onboarding completion",
            "%",
            55,
            75,
            "higher",
            15,
            [("ret", S, 0.7)],
        ),
        ("Raise brand awareness", "Aided awareness", "%", 31, 36, "higher", 15, []),
        ("Cut campaign cost per lead", "Cost per lead", "EUR", 48, 40, "lower", 20, [("sat", C, 0.3)]),
    ],
    "Sales": [
        ("Hit the quarterly revenue quota", "Revenue", "kEUR", 11000, 12500, "higher", 50, [("pro", C, 0.5)]),
        (
            "Win new customers in target segments",
            "New target-segment customers",
            "customers",
            120,
            160,
            "higher",
            25,
            [("acq", S, 1.0)],
        ),
        ("Upsell existing accounts", "Upsell revenue", "kEUR", 900, 1100, "higher", 10, [("pro", S, 0.4)]),
        ("Shorten discount approvals", "Days to approve a discount", "days", 6, 2, "lower", 10, []),
        ("Log every customer meeting in the CRM", "Meetings logged", "%", 60, 95, "higher", 5, []),
    ],
    "Customer Service & Support": [
        (
            "Resolve inquiries at first contact",
            "First-contact resolution",
            "%",
            64,
            75,
            "higher",
            30,
            [("sat", S, 1.0), ("gap", S, 0.8)],
        ),
        ("Cut average handle time", "Average handle time", "minutes", 9, 6, "lower", 20, [("sat", C, 0.6)]),
        ("Raise satisfaction after support", "Post-support CSAT", "%", 80, 88, "higher", 25, [("sat", S, 0.9)]),
        ("Reduce repeat contacts", "Repeat contacts within 7 days", "%", 18, 12, "lower", 15, [("ret", S, 0.6)]),
        ("Answer within the service level", "Calls answered in 30 s", "%", 70, 85, "higher", 10, []),
    ],
    "Product Development": [
        ("Ship the self-service portal", "Portal milestones done", "milestones", 0, 5, "higher", 35, [("gap", S, 0.7)]),
        ("Fix the ten most reported defects", "Top defects fixed", "defects", 0, 10, "higher", 25, [("sat", S, 0.7)]),
        ("Reduce engineering cost per release", "Cost per release", "kEUR", 120, 95, "lower", 25, []),
        ("Release monthly", "Releases per quarter", "releases", 1, 3, "higher", 15, []),
    ],
    "Market Research": [
        (
            "Map customer needs in target segments",
            "Segments mapped",
            "segments",
            2,
            6,
            "higher",
            40,
            [("acq", S, 0.6), ("gap", S, 0.5)],
        ),
        (
            "Run the quarterly satisfaction survey",
            "Survey responses",
            "responses",
            1500,
            2500,
            "higher",
            30,
            [("sat", S, 0.8)],
        ),
        ("Benchmark competitors every quarter", "Benchmarks delivered", "reports", 0, 1, "higher", 20, []),
        ("Interview churned small-business customers", "Interviews", "interviews", 0, 30, "higher", 10, []),
    ],
    "CEO's Office": [
        (
            "Put the customer on every board agenda",
            "Board meetings with a customer item",
            "%",
            25,
            100,
            "higher",
            40,
            [("sat", S, 0.5)],
        ),
        ("Grow operating margin", "Operating margin", "%", 11, 13, "higher", 45, []),
        ("Hold a customer town hall each quarter", "Town halls", "events", 0, 1, "higher", 15, [("ret", S, 0.3)]),
    ],
}

# manager, department, goal title, share, signed off by the CCO
LEVERS = [
    ("head-marketing", "Marketing", "Grow qualified leads from target segments", 30, True),
    ("head-marketing", "Marketing", "Cut campaign cost per lead", 20, False),
    ("head-sales", "Sales", "Hit the quarterly revenue quota", 60, False),
    ("head-sales", "Sales", "Win new customers in target segments", 20, False),
    ("head-service", "Customer Service & Support", "Resolve inquiries at first contact", 40, True),
    ("head-service", "Customer Service & Support", "Cut average handle time", 30, True),
    ("head-product", "Product Development", "Ship the self-service portal", 50, False),
]

# name, category, CCO has access, days since refreshed
SOURCES = [
    ("CRM activity and journeys", "behaviour", True, 1),
    ("Customer profitability warehouse", "profitability", False, 7),
    ("Satisfaction survey platform", "satisfaction", True, 3),
    ("Competitor intelligence feed", "competitor", True, 75),
]

# key, status, evidence
MANDATE = [
    ("manage-customer-facing", ItemStatus.GRANTED, "CCO appointment letter, section 2."),
    ("change-products-processes", ItemStatus.PARTIAL, "May change service processes; product changes need the CEO."),
    ("customer-centric-culture", ItemStatus.PARTIAL, "Quarterly customer town hall agreed with the CEO."),
]


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


def _objectives(users, period) -> dict[str, CustomerObjective]:
    objectives = {}
    for key, category, title, metric, unit, baseline, target in OBJECTIVES:
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


def _previous_quarter(users, departments, objectives, period) -> None:
    """Last quarter's goals of two departments, closed with a final reading, so history exists."""
    previous = Period.objects.filter(end__lte=period.start).order_by("-start").first()
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
                links=[LinkInput(objectives[key], kind, Decimal(str(strength))) for key, kind, strength in links],
            )
            closing = timezone.make_aware(datetime.combine(period.start - timedelta(days=3), time(12)))
            check_in_create(
                actor=head,
                goal=goal,
                value=goal.baseline + (goal.target - goal.baseline) * Decimal("0.8"),
                confidence=Confidence.ON_TRACK,
                comment="Quarter closed.",
                at=closing,
            )


def _check_ins(head, goal: Goal, index: int) -> None:
    """Two readings per goal, moving from the baseline toward the target; a few goals fall behind."""
    now = timezone.now()
    step = (goal.target - goal.baseline) / 4
    confidence = [
        Confidence.ON_TRACK,
        Confidence.ON_TRACK,
        Confidence.AT_RISK,
        Confidence.ON_TRACK,
        Confidence.OFF_TRACK,
    ][index % 5]
    readings = [(now - timedelta(days=40), goal.baseline + step, Confidence.ON_TRACK, "First reading of the quarter.")]
    if index != 3:  # every fourth goal has not been checked in for weeks: the dashboard flags it as stale
        value = goal.baseline + step * (2 if confidence == Confidence.ON_TRACK else 1)
        readings.append((now - timedelta(days=index + 2), value, confidence, "Weekly update."))
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
    for key, status, evidence in MANDATE:
        item = MandateItem.objects.get(key=key)
        if not item.evidence:
            mandate_item_update(actor=users["cco"], item=item, status=status, evidence=evidence)


def build_demo_organisation() -> dict:
    """Build (or leave alone) the demo organisation and make sure its scores are computed.

    All or nothing: one transaction, so a failure at any stage leaves the database as it was. The scores are
    computed after each stage inside it, so the trend still shows the organisation taking shape.
    """
    with transaction.atomic():
        roles.ensure_role_groups(Group)
        ensure_checklist(MandateItem)
        users = _users()
        period = _periods(users["admin"])
        departments = _organisation(users)
        scores_recompute()
        objectives = _objectives(users, period)
        _previous_quarter(users, departments, objectives, period)
        for name in GOALS:  # one stage per department: the organisation score's trend shows each joining in
            _goals(users, departments, objectives, period, only=name)
            scores_recompute()
        _levers(users, departments, period)
        scores_recompute()
        _mandate(users)
        scores_recompute()
        empowerment_refresh()
    return {"users": [login for login, *_ in PEOPLE], "period": period.name}
