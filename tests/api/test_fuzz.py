"""Schemathesis fuzzes every operation of the live schema: no 5xx, and every response as the schema says.

The schema is the one the app serves; requests go to the app itself (WSGI, in-process). Each operation gets
a bounded number of generated requests, valid and invalid, each sent as an admin and as a department head
(token header). About half the generated ids are pointed at objects that exist and If-Match is `*` for
about half the requests, so writes get past the 404s and 412s and reach the services. Recomputes are
scheduled on commit, which a test transaction never reaches, so fuzzing stays fast.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mandates.models import Decision, MandateItem
from scoring.models import AlignmentScore
from scoring.snapshots import scores_recompute
from tests.factories import CheckInFactory

EXAMPLES_PER_OPERATION = int(os.environ.get("CCO_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def served_schema() -> dict:
    """What /api/schema/ serves, generated the same way (fetching it would need the database at collection)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
    with_security_parameters=False,
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly fires request_finished, which closes the database connection the test's
    transaction lives on (PostgreSQL); Django's test client avoids this the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(org, admin_user, head):
    """Token headers for an admin and a head of the organisation's first department."""
    return [{"Authorization": f"Token {AuthToken.objects.create(user=user)[1]}"} for user in (admin_user, head)]


@pytest.fixture
def known_ids(org, head, cco_user) -> dict[str, int]:
    """An existing object per resource, and per reference field of a request body."""
    scores_recompute()
    decision = Decision.objects.create(
        department=org.department, goal=org.goal, action="approve", reason="Fine.", by=cco_user, subject="Goal"
    )
    ids = {
        "departments": org.department.pk,
        "reporting-lines": org.line.pk,
        "periods": org.period.pk,
        "objectives": org.objective.pk,
        "goals": org.goal.pk,
        "check-ins": CheckInFactory(goal=org.goal).pk,
        "levers": org.lever.pk,
        "decisions": decision.pk,
        "data-sources": org.source.pk,
        "mandate-items": MandateItem.objects.order_by("pk").first().pk,
        "scores": AlignmentScore.objects.order_by("pk").first().pk,
        "users": head.pk,
    }
    references = {"department": "departments", "target": "departments", "period": "periods",
                  "objective": "objectives", "goal": "goals", "lever": "levers", "manager": "users",
                  "owner": "users", "user": "users"}  # fmt: skip
    return {**ids, "tokens": head.pk, **{field: ids[resource] for field, resource in references.items()}}


def anchor(case, known: dict[str, int]) -> None:
    """Point about half of the generated ids at objects that exist, so requests get past the 404s and 400s."""

    def pick(key: str, value):
        return known[key] if key in known and isinstance(value, int) and value % 2 == 0 else value

    if case.path_parameters:
        resource = case.path.split("/")[3]
        for name, value in case.path_parameters.items():
            case.path_parameters[name] = pick(resource, value)
    rows = [case.body] if isinstance(case.body, dict) else []
    links = case.body.get("links") if rows else None
    rows += [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []
    for row in rows:
        for key, value in row.items():
            row[key] = pick(key, value)
    if case.headers and isinstance(case.headers.get("If-Match"), str) and len(case.headers["If-Match"]) % 2 == 0:
        case.headers["If-Match"] = "*"


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
@pytest.mark.django_db
def test_api_answers_without_server_errors_and_as_documented(case, tokens, known_ids):
    anchor(case, known_ids)
    for headers in tokens:
        case.call_and_validate(headers=headers, checks=CHECKS)
