"""A goal's history with its links' changes in it: which links to customer objectives were added, removed or changed
(kind, strength, the CCO's review), each named by its objective, on the goal's page and over the API alike.

Links keep their own history (GoalLink.history). A change of links made while saving the goal (the goal form, the
API, CSV import: goal_update saves the goal again when only its links change, so its version moves) is shown in
that save's entry: the services date a goal's row and its links' rows of one save alike (cco.writes.one_change),
so link rows by the same person at the very moment of a row of the goal belong to it. Every other change of a link
(the CCO's review, a conflict the CCO asserts, a link deleted with its objective, and those saved before the rows
were dated so) is an entry of its own. The newest `limit` rows of the goal and `limit` changes of links on their
own are read, with the link rows of those saves, the links' earlier versions and their objectives' titles, in one
query each: the same number of queries whatever the number of changes and links.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cco.history import DEFAULT_LIMIT, Change, ChangeHistory, FieldChange, Version, field_changes, object_versions, who

from .models import CustomerObjective, Goal, GoalLink

# What a person changes about a link; the goal and objective name it, and when it was reviewed is the entry's time.
LINK_FIELDS = ["kind", "strength", "review", "reviewed_by", "review_reason", "asserted_by_cco"]
LINK_LABELS = {"asserted_by_cco": "asserted by the CCO"}


def goal_history(goal: Goal, *, limit: int = DEFAULT_LIMIT) -> ChangeHistory:
    """The newest `limit` changes of `goal` and of its links, newest first (cco.history.change_history's shape).

    A link added reads "Link to “<objective>”: — → added: supports, strength 1, claimed by the department"; one
    removed, its last values → "removed"; one changed, a line per field ("Link to “<objective>” · strength": 1 → 0.5),
    whether it was changed in place (the CCO's review) or replaced by the goal's save. A link whose objective was
    deleted since is named by the objective's last title. A save whose goal row changed no field of the goal lists
    the link changes made with it, and is left out if there are none, so no entry reads "Changed" with nothing under.
    """
    limit = max(1, int(limit))
    versions, goal_total = object_versions(goal, limit=limit)
    links = _with_previous(GoalLink.history.filter(goal_id=goal.pk))
    own_rows = links.exclude(Exists(_same_save(goal.history.all())))
    own = list(own_rows.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    own_total = own_rows.count() if len(own) > limit else len(own)
    own = own[:limit]
    folded: list = []
    if versions:
        saves = goal.history.filter(history_id__in=[version.row.history_id for version in versions])
        folded = list(links.filter(Exists(_same_save(saves))).order_by("history_date", "history_id"))

    groups = _fold(versions, folded) + [[row] for row in own]
    described = _link_changes(groups)
    entries = [
        Change(at=v.change.at, who=v.change.who, kind=v.change.kind, fields=[*v.change.fields, *link_fields])
        for v, link_fields in zip(versions, described[: len(versions)], strict=True)
    ] + [
        Change(at=row.history_date, who=who(row.history_user), kind="changed", fields=link_fields)
        for row, link_fields in zip(own, described[len(versions) :], strict=True)
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    shown = entries[:limit]
    older = goal_total + own_total - len(shown)
    return ChangeHistory([entry for entry in shown if entry.fields or entry.kind != "changed"], older=older)


def _same_save(goal_rows: QuerySet) -> QuerySet:
    """The goal rows of the outer link row's save: by the same person (or nobody), at the same moment."""
    return goal_rows.annotate(by=Coalesce("history_user_id", Value(0))).filter(
        history_date=OuterRef("history_date"), by=Coalesce(OuterRef("history_user_id"), Value(0))
    )


def _with_previous(rows: QuerySet) -> QuerySet:
    """Link rows with the history_id of the same link's version before each (`previous`, None for the first)."""
    earlier = GoalLink.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    return rows.annotate(previous=Subquery(earlier.order_by("-history_id").values("history_id")[:1]))


def _fold(versions: list[Version], folded: list) -> list[list]:
    """For each of the goal's versions, the link rows (oldest first) written in the same save."""
    groups: list[list] = [[] for _ in versions]
    saves = {}
    for index, version in enumerate(versions):
        saves.setdefault((version.row.history_user_id, version.row.history_date), index)
    for row in folded:
        groups[saves[row.history_user_id, row.history_date]].append(row)
    return groups


def _link_changes(groups: list[list]) -> list[list[FieldChange]]:
    """For each group of link rows (oldest first), what changed about each link, the links in their objectives'
    order. A link's state before the group is the version before its first row (none when that row added it); its
    state after, its last row (none when that row removed it)."""
    spans = []  # (group index, objective id, the link's first row in the group, its last)
    for index, rows in enumerate(groups):
        by_objective: dict[int, list] = defaultdict(list)
        for row in rows:
            by_objective[row.objective_id].append(row)
        for objective_id, its_rows in by_objective.items():
            spans.append((index, objective_id, its_rows[0], its_rows[-1]))
    wanted = [first.previous for _index, _objective_id, first, _last in spans if first.history_type == "~"]
    earlier = {row.history_id: row for row in GoalLink.history.filter(history_id__in=[i for i in wanted if i])}
    states = [
        (index, objective_id, _before(first, earlier), None if last.history_type == "-" else last)
        for index, objective_id, first, last in spans
    ]
    pairs = []
    for _index, _objective_id, before, after in states:
        if before is not None and after is not None:
            pairs.append((after, before))
        elif before is not None or after is not None:
            pairs.append((before or after, None))
    described = iter(field_changes(GoalLink, pairs, names=LINK_FIELDS))
    titles = _objective_titles({objective_id for _index, objective_id, *_ in states})
    changes: list[list[tuple[str, FieldChange]]] = [[] for _ in groups]
    for index, objective_id, before, after in states:
        if before is None and after is None:
            continue  # added and removed again in the same save
        fields = next(described)
        link = f"Link to “{titles[objective_id]}”"
        if before is None:
            changes[index].append((titles[objective_id], FieldChange(link, "", f"added: {_summary(fields)}")))
        elif after is None:
            changes[index].append((titles[objective_id], FieldChange(link, _summary(fields), "removed")))
        else:
            changes[index] += [
                (titles[objective_id], FieldChange(f"{link} · {LINK_LABELS.get(f.name, f.label)}", f.before, f.after))
                for f in fields
            ]
    return [[change for _title, change in sorted(group, key=lambda item: item[0])] for group in changes]


def _before(first, earlier: dict):
    """The link as it stood before `first`: nothing before it was added; a deleted link's row holds its last values."""
    if first.history_type == "+":
        return None
    if first.history_type == "-":
        return first
    return earlier.get(first.previous)


def _summary(fields: list[FieldChange]) -> str:
    """A link in a few words, from its non-empty values: "supports, strength 1, confirmed by the CCO (Cleo CCO)"."""
    values = {f.name: f.after for f in fields}
    if values.get("asserted_by_cco") == "yes":
        review = "asserted by the CCO"
    else:
        review = values.get("review", "")
        review = review[:1].lower() + review[1:]
    if values.get("reviewed_by"):
        review += f" ({values['reviewed_by']})"
    return ", ".join(
        part for part in (values.get("kind", "").lower(), f"strength {values.get('strength', '')}", review) if part
    )


def _objective_titles(ids: set[int]) -> dict[int, str]:
    """Each objective's title; for one deleted since, its last recorded title, else "#id" (as cco.history names
    what no longer exists)."""
    titles = dict(CustomerObjective._base_manager.filter(pk__in=ids).values_list("pk", "title"))
    missing = ids - set(titles)
    if missing:
        for objective_id, title in (
            CustomerObjective.history.filter(id__in=missing).order_by("id", "-history_id").values_list("id", "title")
        ):
            titles.setdefault(objective_id, title)
    return {objective_id: titles.get(objective_id, f"#{objective_id}") for objective_id in ids}
