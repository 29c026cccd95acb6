"""Small helpers the API tests share."""

from __future__ import annotations


def errors_of(response) -> dict:
    """The `errors` of the API's error shape (checking the whole shape on the way)."""
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    return body["errors"]


def goal_payload(org, **overrides) -> dict:
    payload = {
        "department": org.department.pk,
        "title": "Answer within a day",
        "metric": "Replies within 24 h",
        "unit": "%",
        "baseline": "60",
        "target": "90",
        "direction": "higher",
        "period": org.period.pk,
        "weight": "30",
        "links": [{"objective": org.objective.pk, "kind": "supports", "strength": "0.5"}],
    }
    return {**payload, **overrides}


def import_goal_row(actor, org, *, title: str, metric: str, status: str = "active"):
    """Import one goal row into the org's department through CSV import (goals.goal_import), as a head's file would
    bring it; the file itself must read cleanly. Returns the import's outcome."""
    from goals.csv_io import read_goal_rows
    from goals.goal_import import goals_import

    text = (
        "title,metric,baseline,target,direction,weight,status,period\n"
        f"{title},{metric},0,100,higher,40,{status},{org.period.name}\n"
    )
    rows, errors = read_goal_rows(text, department=org.department)
    assert not errors
    return goals_import(actor=actor, department=org.department, rows=rows)
