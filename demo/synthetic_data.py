"""The synthetic organisation's vocabulary as plain tables: objectives, goals, functions, regions, data sources and the
reasons the CCO gives. demo.synthetic draws from them with a seeded random generator."""

from __future__ import annotations

from departments.models import Function
from goals.models import Category
from mandates.models import DecisionAction

OBJECTIVES = {  # category: (title, metric, unit, baseline, target)
    Category.ACQUISITION: [
        ("Win customers in target segments", "New target-segment customers", "customers", 400, 520),
        ("Grow qualified demand", "Qualified opportunities", "opportunities", 1800, 2300),
        ("Enter the mid-market", "Mid-market customers", "customers", 60, 110),
        ("Convert more trials", "Trial conversion", "%", 18, 25),
        ("Win back lapsed customers", "Customers won back", "customers", 40, 90),
    ],
    Category.SATISFACTION: [
        ("Raise customer satisfaction", "CSAT", "%", 78, 85),
        ("Raise the net promoter score", "NPS", "points", 21, 32),
        ("Make support effortless", "Customer effort score", "points", 3, 5),
        ("Delight on delivery", "On-time delivery satisfaction", "%", 81, 90),
        ("Fix what customers report", "Top complaints resolved", "complaints", 0, 12),
    ],
    Category.RETENTION: [
        ("Keep more customers for longer", "12-month retention", "%", 82, 88),
        ("Stop small-business churn", "Small-business churn", "%", 14, 9),
        ("Renew every key account", "Key-account renewals", "%", 88, 96),
        ("Grow product adoption", "Weekly active accounts", "%", 55, 68),
        ("Onboard customers to value", "Onboarding completion", "%", 60, 80),
    ],
    Category.PROFITABILITY: [
        ("Grow long-term customer profitability", "Customer lifetime value", "EUR", 4200, 4800),
        ("Serve customers at lower cost", "Cost to serve", "EUR", 310, 260),
        ("Grow share of wallet", "Share of wallet", "%", 22, 28),
        ("Price for lasting value", "Net revenue retention", "%", 101, 108),
        ("Cut unprofitable discounts", "Discount leakage", "%", 7, 4),
    ],
    Category.EXPERIENCE_GAP: [
        ("Close the expectation–experience gap", "Expectation minus experience", "points", 18, 10),
        ("Keep the promises sales make", "Promises kept", "%", 72, 90),
        ("Make the journey match the brochure", "Journey gap score", "points", 12, 6),
        ("Answer feedback within a week", "Feedback closed in 7 days", "%", 45, 80),
        ("Set honest delivery dates", "Dates met as promised", "%", 70, 88),
    ],
}
GOALS = [  # title, metric, unit, baseline, target, direction
    ("Grow qualified leads", "Qualified leads", "leads", 900, 1200, "higher"),
    ("Resolve inquiries at first contact", "First-contact resolution", "%", 64, 75, "higher"),
    ("Cut average handle time", "Average handle time", "minutes", 9, 6, "lower"),
    ("Raise satisfaction after support", "Post-support CSAT", "%", 80, 88, "higher"),
    ("Reduce repeat contacts", "Repeat contacts in 7 days", "%", 18, 12, "lower"),
    ("Hit the quarterly revenue quota", "Revenue", "kEUR", 11000, 12500, "higher"),
    ("Upsell existing accounts", "Upsell revenue", "kEUR", 900, 1100, "higher"),
    ("Shorten discount approvals", "Days to approve a discount", "days", 6, 2, "lower"),
    ("Ship the self-service portal", "Portal milestones done", "milestones", 0, 5, "higher"),
    ("Fix the most reported defects", "Top defects fixed", "defects", 0, 10, "higher"),
    ("Release monthly", "Releases per quarter", "releases", 1, 3, "higher"),
    ("Map customer needs", "Segments mapped", "segments", 2, 6, "higher"),
    ("Run the satisfaction survey", "Survey responses", "responses", 1500, 2500, "higher"),
    ("Cut cost per order", "Cost per order", "EUR", 48, 40, "lower"),
    ("Log every customer meeting", "Meetings logged", "%", 60, 95, "higher"),
    ("Answer within the service level", "Calls answered in 30 s", "%", 70, 85, "higher"),
    ("Publish the voice-of-customer report", "Reports published", "reports", 0, 3, "higher"),
    ("Shorten time to invoice", "Days to invoice", "days", 12, 5, "lower"),
    ("Train every team on the customer journey", "People trained", "%", 20, 90, "higher"),
    ("Reduce order errors", "Orders with an error", "%", 4, 2, "lower"),
]
# function, customer-facing share, weight in the mix, names
FUNCTIONS = [
    (Function.SALES, 0.95, 25, ["Sales", "Key Accounts", "Inside Sales", "Partner Sales"]),
    (Function.SERVICE, 0.95, 20, ["Customer Service", "Technical Support", "Field Service", "Contact Centre"]),
    (Function.MARKETING, 0.9, 15, ["Marketing", "Brand", "Digital Marketing", "Customer Marketing"]),
    (Function.PRODUCT, 0.7, 12, ["Product Development", "Product Design", "Platform Engineering"]),
    (Function.RESEARCH, 0.8, 6, ["Market Research", "Customer Insight"]),
    (Function.OTHER, 0.15, 22, ["Finance", "People & HR", "Legal", "IT", "Procurement", "Logistics", "Facilities"]),
]
REGIONS = ["North", "South", "East", "West", "Central", "Nordics", "Iberia", "Benelux", "DACH", "UK", "APAC", "US"]
SOURCES = [  # name, category, the CCO has access, days since refreshed
    ("CRM activity and journeys", "behaviour", True, 1),
    ("Web and app analytics", "behaviour", True, 2),
    ("Customer profitability warehouse", "profitability", False, 7),
    ("Billing and margins cube", "profitability", True, 20),
    ("Satisfaction survey platform", "satisfaction", True, 3),
    ("Complaints register", "satisfaction", False, 10),
    ("Competitor intelligence feed", "competitor", True, 75),
]
REASONS = {
    DecisionAction.CONFIRM_LINK: "Reviewed with the head: the goal does move this objective.",
    DecisionAction.REJECT_LINK: "The goal does not move this objective; the claim is rejected.",
    DecisionAction.ASSERT_CONFLICT: "This goal works against the objective; recorded by the CCO.",
    DecisionAction.SIGN_OFF: "Pay tied to a customer goal; agreed with the head.",
    DecisionAction.VETO: "Pushes cost onto customers; revise it and ask again.",
    DecisionAction.APPROVE: "Agreed in the quarterly planning meeting.",
}
