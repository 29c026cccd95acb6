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
