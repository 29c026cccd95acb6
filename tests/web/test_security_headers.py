"""The Content-Security-Policy (cco/settings/base.py) on every kind of page, and HTML that needs nothing it forbids.

The browser journeys (tests/browser) check the same in Chromium; these tests cover every page cheaply, including
those no journey opens.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

# (who signs in, the page): the app's pages, Swagger UI, the Django admin and the login page.
PAGES = [
    ("executive", lambda org: "/"),
    ("head", lambda org: f"/departments/{org['department'].pk}/"),
    ("head", lambda org: f"/goals/{org['answer'].pk}/"),
    ("head", lambda org: f"/goals/{org['answer'].pk}/edit/"),
    ("cco", lambda org: "/charter/"),
    ("admin", lambda org: "/org-chart/"),
    ("cco", lambda org: "/objectives/"),
    ("cco", lambda org: "/mandate/"),
    ("cco", lambda org: "/reviews/"),
    ("cco", lambda org: "/decisions/"),
    ("admin", lambda org: "/data-sources/"),
    ("executive", lambda org: "/accounts/password_change/"),
    ("executive", lambda org: "/api/docs/"),
    ("superuser", lambda org: "/admin/"),
    ("superuser", lambda org: f"/admin/goals/goal/{org['answer'].pk}/change/"),
    ("anonymous", lambda org: "/accounts/login/"),
    ("anonymous", lambda org: "/accounts/password_reset/"),
]


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


class InlineCode(HTMLParser):
    """What in a page the policy would refuse: style attributes, event-handler attributes, `javascript:` links,
    and <script>/<style> elements written into the page without the response's nonce."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        executable = attributes.get("type") in {None, "", "text/javascript", "module"}
        inline_script = tag == "script" and "src" not in attributes and executable
        if (inline_script or tag == "style") and (self.nonce is None or attributes.get("nonce") != self.nonce):
            self.found.append(f"<{tag}> without the response's nonce")


@pytest.fixture
def sign_in(client, web_org, django_user_model):
    def _sign_in(role: str):
        if role == "superuser":
            client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
        elif role != "anonymous":
            client.force_login(web_org["users"][role])
        return client

    return _sign_in


def test_policy_allows_scripts_and_styles_from_the_site_only(client):
    directives = policy(client.get("/accounts/login/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no nonce: the login page has no inline script
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{role}:{i}" for i, (role, _) in enumerate(PAGES)])
def test_every_page_carries_the_policy_and_needs_no_inline_code(sign_in, web_org, role, url):
    response = sign_in(role).get(url(web_org))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
    nonce = next((source[7:-1] for source in directives["script-src"] if source.startswith("'nonce-")), None)
    parser = InlineCode(nonce)
    parser.feed(response.content.decode())
    assert parser.found == []


def test_swagger_ui_start_up_script_carries_the_nonce_of_its_response(sign_in):
    response = sign_in("executive").get("/api/docs/")
    nonce = re.fullmatch(r"'nonce-(.+)'", policy(response)["script-src"][1]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert nonce != re.fullmatch(r"'nonce-(.+)'", policy(sign_in("executive").get("/api/docs/"))["script-src"][1])[1]
