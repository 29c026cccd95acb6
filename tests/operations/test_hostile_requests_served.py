"""Hostile requests against gunicorn with production settings: each is answered at once with a 4xx in the API's
error shape, instead of pinning a worker until gunicorn's timeout kills it with a 500."""

from __future__ import annotations

import json
import urllib.request

import pytest

from ops.stack import http_json

from .conftest import serve

pytestmark = pytest.mark.services


def test_hostile_requests_get_a_clear_4xx_from_the_served_app(stack, organisation):
    base = serve(stack)
    auth = {"Authorization": f"Token {organisation.head_token}", "If-Match": "*"}

    links = [{"objective": organisation.objective.pk, "kind": "supports", "strength": "1"}] * 40_000
    status, body, raw, _ = http_json(
        f"{base}/api/v1/goals/{organisation.goal.pk}/", method="PATCH", body={"links": links}, headers=auth
    )
    assert status == 400, raw[:300]
    assert body["errors"] == {"links": ["Ensure this field has no more than 20 elements."]}

    deep = ("[" * 1000 + "]" * 1000).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/auth/token/", data=deep, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310
        raise AssertionError("a 1000-deep JSON body was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert json.loads(error.read())["code"] == "parse_error"

    status, body, raw, headers = http_json(
        f"{base}/api/v1/goals/{organisation.goal.pk}/", method="PATCH", body={"description": "x" * 3_000_000},
        headers=auth,
    )  # fmt: skip
    assert status == 413, raw[:300]
    assert headers["Content-Type"] == "application/json" and body["code"] == "payload_too_large"
