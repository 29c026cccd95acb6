"""Template helpers: ask the one permission module, format scores."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cco.permissions import can
from cco.roles import headed_department_ids
from departments.models import Department

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    """{% allowed "change_goal" goal as may_edit %}: the same rule the services enforce."""
    return can(context["request"].user, name, obj)


# --- engineer A: dashboard and pages helpers ------------------------------------------------------------


@register.simple_tag
def optional_url(name: str, *args, **kwargs) -> str:
    """{% optional_url "goal-edit" goal.pk as edit_url %}: the URL, or "" while that page does not exist yet."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.filter
def ago(moment) -> str:
    """A short "how long ago": "12 s ago", "4 min ago", "3 h ago", "2 days ago"."""
    if not moment:
        return "never"
    seconds = max(0, int((timezone.now() - moment).total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''} ago"


@register.simple_tag(takes_context=True)
def headed_departments(context):
    """The departments the signed-in user heads (one query), for the navigation."""
    ids = headed_department_ids(context["request"].user)
    return list(Department.objects.filter(pk__in=ids).order_by("name").values("pk", "name")) if ids else []


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.4834 → "48%"."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def signed(value) -> str:
    """A change with its sign: +3.2, −1.5, ±0."""
    if value is None or value == "":
        return ""
    number = float(value)
    if abs(number) < 0.05:
        return "±0"
    return f"+{number:.1f}" if number > 0 else f"−{abs(number):.1f}"


COMPONENT_LABELS = {
    "linkage": "Goal weight supporting customer objectives",
    "shared": "Of that support, share going to objectives other departments also support",
    "compensation": "Managers' variable pay on customer-linked goals (unsigned levers count half)",
    "reporting": "Line to the CCO",
    "conflict": "Goal weight conflicting with customer objectives",
    "departments": "Customer-facing departments' average score",
    "coverage": "Customer objectives supported by a customer-facing department",
}
REACH_LABELS = {"direct": "direct", "dotted": "dotted line only", "none": "none"}


@register.simple_tag
def score_components(components: dict) -> list[dict]:
    """A stored breakdown as rows a person can check: what each component measured and the points it gave."""
    rows = []
    for key, label in COMPONENT_LABELS.items():
        part = (components or {}).get(key)
        if not part:
            continue
        if key == "reporting":
            shown = REACH_LABELS.get(part.get("reach"), part.get("reach", ""))
        else:
            shown = percent(part.get("value"))
        rows.append({"key": key, "label": label, "value": shown, "points": part.get("points", 0)})
    return rows


@register.filter
def reach_label(status: str) -> str:
    return {"direct": "Direct", "dotted": "Dotted line", "none": "No line"}.get(status, status)


@register.filter
def num(value) -> str:
    """A stored decimal without its trailing zeros: 30.00 → 30, 0.50 → 0.5."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{number:f}"


@register.filter
def get_item(mapping, key):
    """{{ reach|get_item:department.pk }}: a dictionary lookup by a variable key."""
    return mapping.get(key) if mapping else None
