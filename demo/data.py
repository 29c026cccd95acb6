"""The demo organisation of PRODUCT.md as plain tables: people, departments, lines, objectives, goals, levers,
data sources and the mandate's state. demo.build turns them into rows through the services."""

from __future__ import annotations

from cco import roles
from departments.models import Function, LineKind
from mandates.models import ItemStatus

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

# key, status, evidence, confirmed by the executive (where the data cannot tell, the CCO's status counts at half
# until someone else confirms it: the culture item is, the products-and-processes one waits on the checklist page)
MANDATE = [
    ("manage-customer-facing", ItemStatus.GRANTED, "CCO appointment letter, section 2.", False),
    (
        "change-products-processes",
        ItemStatus.PARTIAL,
        "May change service processes; product changes need the CEO.",
        False,
    ),
    ("customer-centric-culture", ItemStatus.PARTIAL, "Quarterly customer town hall agreed with the CEO.", True),
]

# Links the CCO has not reviewed yet, left as claims for the review queue: (department, goal title, objective key).
# Every other supporting link of the current period is confirmed by the CCO when the demo is built.
CLAIMS_LEFT_FOR_REVIEW = [("Sales", "Upsell existing accounts", "pro")]
