"""Template helpers: ask the one permission module, format scores."""

from django import template

from cco.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    """{% allowed "change_goal" goal as may_edit %}: the same rule the services enforce."""
    return can(context["request"].user, name, obj)
