"""Pages for goals, check-ins, levers, customer objectives, goals CSV and the current period; one module per subject.

Each view is wrapped in cco.permissions.rule_required (sign in, load the object, ask the rule); it reads
through goals.selectors and writes through goals.services, and a service's ValidationError is shown next to
its field. The goal editor, which shows a change's score impact, is an assembled page (pages.goal_editor).
"""

from django.urls import reverse


def department_page(department_id: int) -> str:
    """Where a change to a department's goals or levers returns to."""
    return reverse("department-detail", args=[department_id])
