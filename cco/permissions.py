"""Who may do what in the product, decided once and used by services, views and the API (django-rules).

Every object-level permission of the product is registered in one rule set here; docs/permissions.md is
the same matrix in prose. Services call `ensure_can`; views, templates and the API ask `can(user, name, obj)`.
The set is separate from Django's model permissions on purpose: those govern the Django admin (the
admins' tool), while these encode the roles of the product, where even a superuser is only an Admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from . import roles


@rules.predicate
def is_admin(user) -> bool:
    return roles.ADMIN in roles.role_names(user)


@rules.predicate
def is_cco(user) -> bool:
    return roles.CCO in roles.role_names(user)


@rules.predicate
def is_executive(user) -> bool:
    return roles.EXECUTIVE in roles.role_names(user)


@rules.predicate
def has_role(user) -> bool:
    return bool(roles.role_names(user)) or bool(roles.headed_department_ids(user))


@dataclass(frozen=True)
class InDepartment:
    """Stands for "something in this department" when a rule is asked before any object exists."""

    department_id: int


def _department_id(obj) -> int | None:
    """The department an object belongs to: a department itself, or anything with a department_id/goal."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Department":
        return obj.pk
    if hasattr(obj, "department_id"):
        return obj.department_id
    if hasattr(obj, "goal"):
        return obj.goal.department_id
    return None


@rules.predicate
def heads_department(user, obj) -> bool:
    department_id = _department_id(obj)
    return department_id is not None and department_id in roles.headed_department_ids(user)


@rules.predicate
def recorded_it(user, obj) -> bool:
    """The user recorded this check-in. Asked before any object exists (InDepartment), it may be so."""
    if isinstance(obj, InDepartment):
        return True
    return obj is not None and getattr(obj, "by_id", None) is not None and obj.by_id == user.pk


@rules.predicate
def paid_by_it(user, obj) -> bool:
    """The user is the manager whose pay the lever ties to a goal."""
    return obj is not None and getattr(obj, "manager_id", None) == user.pk


# Nobody reviews their own department: a CCO who also heads one does not confirm its claims, approve its goals or
# sign off its levers (or their own pay), and an admin who heads one does not draw its lines to the CCO. Those wait
# for another reviewer, and a claim counts at reduced credit until then.
judges_own = heads_department | paid_by_it

PERMISSIONS = rules.RuleSet()

# Reading: every signed-in person with a role sees every department (executives review all of them).
PERMISSIONS.add_rule("view_dashboard", has_role)
PERMISSIONS.add_rule("view_department", has_role)

# Admins configure the organisation.
PERMISSIONS.add_rule("add_department", is_admin)
PERMISSIONS.add_rule("change_department", is_admin)
PERMISSIONS.add_rule("delete_department", is_admin)
PERMISSIONS.add_rule("add_reportingline", is_admin & ~heads_department)
PERMISSIONS.add_rule("change_reportingline", is_admin & ~heads_department)
PERMISSIONS.add_rule("delete_reportingline", is_admin & ~heads_department)
PERMISSIONS.add_rule("add_period", is_admin | is_cco)
PERMISSIONS.add_rule("change_period", is_admin | is_cco)
PERMISSIONS.add_rule("add_datasource", is_admin | is_cco)
PERMISSIONS.add_rule("change_datasource", is_admin | is_cco)
PERMISSIONS.add_rule("delete_datasource", is_admin | is_cco)

# The CCO owns the customer strategy and the mandate.
PERMISSIONS.add_rule("add_customerobjective", is_cco)
PERMISSIONS.add_rule("change_customerobjective", is_cco)
PERMISSIONS.add_rule("change_mandateitem", is_cco)
# The checklist measures the CCO's own powers: where the data cannot tell, another person confirms the CCO's status.
PERMISSIONS.add_rule("confirm_mandateitem", (is_executive | is_admin) & ~is_cco)
PERMISSIONS.add_rule("sign_off_lever", is_cco & ~judges_own)
PERMISSIONS.add_rule("review_goal", is_cco & ~judges_own)
# Reviewing the links goals claim to customer objectives is the CCO's strategy work: no line authority needed.
PERMISSIONS.add_rule("review_link", is_cco & ~judges_own)
# A goal fed by a data source is measured by the data: only someone it does not measure unbinds it or binds it to
# another metric (its heads could otherwise unbind it and type their own values). Binding a typed goal is anyone's.
PERMISSIONS.add_rule("rebind_goal", (is_cco | is_admin) & ~judges_own)

# Goals and levers: the department's heads, the CCO and admins. Object-level: pass the department or goal.
PERMISSIONS.add_rule("add_goal", heads_department | is_cco | is_admin)
PERMISSIONS.add_rule("change_goal", heads_department | is_cco | is_admin)
PERMISSIONS.add_rule("delete_goal", heads_department | is_cco | is_admin)
PERMISSIONS.add_rule("add_compensationlever", heads_department | is_cco | is_admin)
PERMISSIONS.add_rule("change_compensationlever", heads_department | is_cco | is_admin)
PERMISSIONS.add_rule("delete_compensationlever", heads_department | is_cco | is_admin)

# Check-ins are the heads' own record of progress: only the head who recorded one corrects or deletes it, and only
# while they still head its department (the history keeps what it said before).
PERMISSIONS.add_rule("add_checkin", heads_department)
PERMISSIONS.add_rule("change_checkin", heads_department & recorded_it)
PERMISSIONS.add_rule("delete_checkin", heads_department & recorded_it)

# Recomputing everything on demand.
PERMISSIONS.add_rule("recompute_scores", is_cco | is_admin)

# API tokens for integrations: admins issue and revoke them for any user.
PERMISSIONS.add_rule("manage_tokens", is_admin)


def can(user, name: str, obj=None) -> bool:
    """Whether `user` may do `name` (a key of PERMISSIONS) on `obj`; inactive or anonymous users may do nothing."""
    if user is None or not getattr(user, "is_active", False):
        return False
    if name not in PERMISSIONS:
        raise KeyError(f"Unknown permission {name!r}")
    return PERMISSIONS.test_rule(name, user, obj)


NOUNS = {
    "checkin": "check-ins for this goal",
    "customerobjective": "customer objectives",
    "compensationlever": "this department's compensation levers",
    "reportingline": "reporting lines",
    "datasource": "data sources",
    "mandateitem": "the mandate checklist",
    "goal": "this department's goals",
    "department": "departments",
    "period": "periods",
    "off_lever": "compensation levers",
    "dashboard": "the dashboard",
    "tokens": "API tokens",
    "scores": "the scores",
    "link": "the links goals claim to customer objectives",
}


def refusal(name: str) -> str:
    """The sentence shown when `name` is refused, e.g. "You are not allowed to change this department's goals."."""
    verb, _, noun = name.partition("_")
    if noun == "off_lever":
        verb = "sign off"
    return f"You are not allowed to {verb} {NOUNS.get(noun, noun.replace('_', ' '))}."


OWN_DEPARTMENT_RULES = {
    "sign_off_lever",
    "review_goal",
    "review_link",
    "add_reportingline",
    "change_reportingline",
    "delete_reportingline",
}


def refusal_of(user, name: str, obj=None) -> str:
    """The sentence for refusing `user` the rule `name` on `obj`: why, when it is their own department or pay."""
    if name == "confirm_mandateitem" and getattr(user, "is_active", False) and is_cco(user):
        return "The checklist measures your own powers, so an executive or an admin confirms it, not you."
    if name in OWN_DEPARTMENT_RULES and getattr(user, "is_active", False) and judges_own(user, obj):
        return (
            "You head this department (or this is your own pay), so another person decides this: nobody reviews "
            "what measures them. Until then a claimed link counts at reduced credit."
        )
    return refusal(name)


def ensure_can(user, name: str, obj=None) -> None:
    """Raise PermissionDenied with a sentence a person understands unless `user` may do `name` on `obj`."""
    if not can(user, name, obj):
        raise PermissionDenied(refusal_of(user, name, obj))


def rule_required(rule: str, load=None, *, url_kwarg: str = "pk", methods: tuple[str, ...] = ()):
    """A view decorator: the user signs in, then `rule` must allow them, or the view answers 403.

    With `load` (a model, a queryset, or a function of the id), the object named by the URL's `url_kwarg` is
    loaded first (404 when missing), the rule is asked about it, and the view receives it instead of the id.
    With `methods`, any other HTTP method gets 405 before anything is loaded.
    The services ask the same rule again with the final data; this keeps every page from reading what it may
    not show.
    """

    def fetch(object_id):
        if callable(load) and not hasattr(load, "_meta") and not hasattr(load, "model"):
            try:
                return load(object_id)
            except ObjectDoesNotExist as exc:
                raise Http404("Not found.") from exc
        return get_object_or_404(load, pk=object_id)

    def decorator(view: Callable):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if methods and request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if load is None:
                ensure_can(request.user, rule)
                return view(request, *args, **kwargs)
            obj = fetch(kwargs.pop(url_kwarg))
            ensure_can(request.user, rule, obj)
            return view(request, obj, *args, **kwargs)

        return login_required(checked)

    return decorator
