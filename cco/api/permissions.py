"""The API asks the web's rules (cco.permissions) and nothing else.

A viewset names, per action, the rule that governs it (`rules = {"create": "add_goal", ...}`). Before the
body is read, the request is refused unless the user could do that action somewhere (a head may add goals
to the departments they head); on an object the rule is asked with the object itself; and the service
asks once more with the final data (a head posting a goal for another department gets 403 from it).
An action a viewset does not name is refused.
"""

from __future__ import annotations

from rest_framework import permissions

from cco.permissions import InDepartment, can, refusal, refusal_of
from cco.roles import headed_department_ids


def may_somewhere(user, rule: str) -> bool:
    """Whether `user` may do `rule` on some object: globally, or in at least one department they head."""
    if can(user, rule):
        return True
    return any(can(user, rule, InDepartment(pk)) for pk in headed_department_ids(user))


class RulePermission(permissions.BasePermission):
    """Maps the view's action (or a plain APIView's `rule`) to rules of cco.permissions; no rule, no access.

    A tuple of rules means any of them (the decision log's POST is a goal review or a lever sign-off,
    which the service tells apart).
    """

    def _rules(self, view) -> tuple[str, ...]:
        rule = getattr(view, "rules", {}).get(getattr(view, "action", None)) or getattr(view, "rule", None)
        return (rule,) if isinstance(rule, str) else tuple(rule or ())

    def has_permission(self, request, view) -> bool:
        if hasattr(view, "action_map") and view.action is None:
            return True  # a method the viewset does not offer: let it answer 405
        rules = self._rules(view)
        if rules:
            self.message = refusal(rules[0])  # the sentence the services' ensure_can gives
        return any(may_somewhere(request.user, rule) for rule in rules)

    def has_object_permission(self, request, view, obj) -> bool:
        rules = self._rules(view)
        if any(can(request.user, rule, obj) for rule in rules):
            return True
        if rules:
            self.message = refusal_of(request.user, rules[0], obj)  # as the services' ensure_can says it
        return False


READ = {"list": "view_department", "retrieve": "view_department"}


def crud_rules(model: str, *, delete: bool = True) -> dict[str, str]:
    """Reading for every role, writing by the add_/change_/delete_<model> rules of cco.permissions."""
    rules = {**READ, "create": f"add_{model}", "update": f"change_{model}", "partial_update": f"change_{model}"}
    return {**rules, "destroy": f"delete_{model}"} if delete else rules
