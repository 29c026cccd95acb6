"""Template helpers for every page: ask the one permission module, format numbers and percentages, name people."""

from django import template
from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime

from cco.permissions import can
from cco.roles import headed_department_ids
from cco.wording import as_percent, number
from cco.wording import person as person_name

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    """{% allowed "change_goal" goal as may_edit %}: the same rule the services enforce."""
    return can(context["request"].user, name, obj)


@register.simple_tag(takes_context=True)
def headed_departments(context):
    """The departments the signed-in user heads (one query), for the navigation."""
    user = context["request"].user
    return list(user.headed_departments.order_by("name").values("pk", "name")) if headed_department_ids(user) else []


@register.filter
def as_seen(period) -> str:
    """How a period other than the current one is shown: "as it ended", or for one that has not begun (the next
    quarter, planned ahead) "as planned so far, before it starts on 1 January 2027"."""
    if getattr(period, "not_started", False):
        return f"as planned so far, before it starts on {date_format(period.start, 'j F Y')}"
    return "as it ended"


@register.filter
def percent(value, digits: int = 0) -> str:
    """A fraction as a percentage, half up as the score's reasons print it: 0.4834 → "48%", 0.245 → "25%"."""
    return as_percent(value, int(digits))


@register.filter
def signed(value) -> str:
    """A change with its sign: +3.2, −1.5, ±0."""
    if value is None or value == "":
        return ""
    number = float(value)
    if abs(number) < 0.05:
        return "±0"
    return f"+{number:.1f}" if number > 0 else f"−{abs(number):.1f}"


@register.filter
def isotime(value) -> str:
    """{{ change.at|isotime }}: a datetime for a `<time datetime>` attribute, ISO 8601 to the second
    ("2026-03-12T09:30:00+00:00"); HTML allows at most three digits of a second's fraction, Python's isoformat
    gives six. A date stays a date."""
    if not value:
        return ""
    if hasattr(value, "microsecond"):
        return (localtime(value) if is_aware(value) else value).replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter
def reach_label(status: str) -> str:
    return {"direct": "Direct", "dotted": "Dotted line", "none": "No line"}.get(status, status)


@register.filter
def num(value) -> str:
    """A stored decimal without its trailing zeros: 30.00 → 30, 0.50 → 0.5 (cco.wording.number, to the 4 places
    metric values are stored with)."""
    return number(value, 4)


@register.filter
def person(user) -> str:
    """{{ lever.manager|person }}: the person's full name, or their username when no name is recorded."""
    return person_name(user) if user else ""


@register.filter
def get_item(mapping, key):
    """{{ reach|get_item:department.pk }}: a dictionary lookup by a variable key."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string with `param` set to page `number` (the other lists' pages and the search kept),
    for pagers whose parameter is not always `page` (a page with several paged lists)."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
