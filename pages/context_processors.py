"""What the navigation needs from the pages app: the counts of what waits for the signed-in user."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .needs import NeedCounts, need_counts


def needs(request):
    """`nav_needs`, counted only if a template reads it (the navigation does for the CCO and heads only), once per
    request; a view that has counted them already passes its own `nav_needs`, which takes precedence."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_needs": NeedCounts()}
    return {"nav_needs": SimpleLazyObject(lambda: need_counts(user))}
