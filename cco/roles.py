"""The four roles of the product, held as Django groups, and cheap per-request lookups of who holds them."""

from __future__ import annotations

ADMIN = "Admin"
CCO = "CCO"
EXECUTIVE = "Executive"
HEAD = "Department head"
ALL_ROLES = (ADMIN, CCO, EXECUTIVE, HEAD)


def role_names(user) -> frozenset[str]:
    """The role names a user holds, read once per user object (a superuser always counts as Admin)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_cco_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._cco_roles = cached
    return cached


def headed_department_ids(user) -> frozenset[int]:
    """Ids of the departments a user heads, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_cco_headed", None)
    if cached is None:
        cached = frozenset(user.headed_departments.values_list("pk", flat=True))
        user._cco_headed = cached
    return cached


def ensure_role_groups(group_model) -> None:
    """Create the role groups if missing (used by the data migration and the demo)."""
    for name in ALL_ROLES:
        group_model.objects.get_or_create(name=name)
