"""The load test's traffic (run by ops/loadtest.py): department heads on the dashboard, on the API, editing goals.

Each simulated person signs in once, as the demo heads would: browsers through the login form (session cookie),
integrations with a token. Goal edits go through the ETag/If-Match protocol; a 412 is the API saying someone else
saved first, so it is re-read and retried once and never counted as an error. Every 5xx is counted by the
request hook, with the URLs that produced it, and written to --status-report for the runner.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import time
from collections import Counter, defaultdict
from decimal import Decimal

from locust import HttpUser, between, events, task

HEADS = ["head-marketing", "head-sales", "head-service", "head-product", "head-research"]
PASSWORD = "demo"  # noqa: S105 - the demo organisation's shared password
API = "/api/v1"
EDIT_MARK = " [load test edit "
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_logins = itertools.cycle(HEADS)
_started = time.time()
_statuses: Counter[int] = Counter()
_server_errors: dict[str, list[str]] = defaultdict(list)
_concurrency = Counter()


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--status-report", default="", help="Write status counts and 5xx URLs here (JSON).")


@events.request.add_listener
def _count(request_type, name, response, exception, url=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    _statuses[status] += 1
    if status >= 500:
        path = (url or name).split("://", 1)[-1].partition("/")[2]
        _server_errors[f"{request_type} {name}"].append(f"+{time.time() - _started:.1f}s {status} /{path}")


@events.test_start.add_listener
def _reset(environment, **_kwargs):
    global _started
    _started = time.time()


@events.quitting.add_listener
def _report(environment, **_kwargs):
    path = environment.parsed_options.status_report if environment.parsed_options else ""
    if path:
        report = {
            "started": _started,
            "statuses": {str(code): count for code, count in sorted(_statuses.items())},
            "server_errors": dict(_server_errors),
            "concurrency": dict(_concurrency),
        }
        with open(path, "w") as handle:
            json.dump(report, handle, indent=2)


def loopback_cookies(client) -> None:
    """Send Secure cookies over http://127.0.0.1 as browsers do on loopback (production sets them Secure)."""
    for cookie in client.cookies:
        cookie.secure = False


def json_of(answer) -> dict:
    """The JSON object of a 200, or {}: a failed request is already in locust's statistics, not an exception."""
    if answer.status_code != 200:
        return {}
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Browser(HttpUser):
    """A head with the dashboard open: the page itself, and htmx polling the scores' freshness."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.username = next(_logins)
        self.signed_in = False
        self.sign_in()

    def sign_in(self) -> None:
        """The login form, as a browser submits it; then the dashboard and its assets, once (the browser caches)."""
        with self.client.get("/accounts/login/", name="/accounts/login/", catch_response=True) as page:
            found = CSRF_INPUT.search(page.text or "")
            if not found:
                page.failure(f"no CSRF token in the login form (status {page.status_code})")
                return
        loopback_cookies(self.client)
        form = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1), "next": "/"}
        headers = {"Referer": f"{self.host}/accounts/login/"}
        with self.client.post(
            "/accounts/login/", data=form, headers=headers, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302 or "sessionid" not in self.client.cookies:
                answer.failure(f"login as {self.username} did not sign in (status {answer.status_code})")
                return
        loopback_cookies(self.client)
        self.signed_in = True
        page = self.dashboard()
        for asset in sorted(set(ASSET.findall(page))):
            self.client.get(asset, name="/static/[asset]")

    def dashboard(self) -> str:
        with self.client.get("/", name="/ (dashboard)", allow_redirects=False, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"dashboard answered {page.status_code}")
                self.signed_in = page.status_code != 302
            return page.text or ""

    @task(3)
    def view_dashboard(self):
        if not self.signed_in:
            self.sign_in()
            return
        self.dashboard()

    @task(2)
    def poll_status(self):
        if not self.signed_in:
            self.sign_in()
            return
        since = f"{time.time() - 60:.3f}"
        self.client.get(f"/dashboard/status/?since={since}", name="/dashboard/status/", headers={"HX-Request": "true"})


class Integration(HttpUser):
    """A head using the API with a token: reads everything, edits their own department's goals."""

    weight = 3
    wait_time = between(0.3, 1.2)

    def on_start(self):
        self.username = next(_logins)
        self.own_department: int | None = None
        self.departments: list[int] = []
        self.own_goals: list[int] = []
        self.edits = 0
        self.sign_in()

    def sign_in(self) -> bool:
        """Token, own department, the departments and the own goals, each until it is known; True with a token."""
        if "Authorization" not in self.client.headers:
            with self.client.post(
                f"{API}/auth/token/", json={"username": self.username, "password": PASSWORD}, catch_response=True
            ) as answer:
                token = json_of(answer).get("token")
                if not token:
                    answer.failure(f"no token for {self.username} (status {answer.status_code})")
                    return False
            self.client.headers["Authorization"] = f"Token {token}"
        if self.own_department is None:
            me = json_of(self.client.get(f"{API}/users/me/"))
            own = [department["id"] for department in me.get("headed_departments", [])]
            self.own_department = own[0] if own else None
        if not self.departments:
            self.departments = [department["id"] for department in self.list_departments()]
        if self.own_department is not None and not self.own_goals:
            goals = json_of(
                self.client.get(
                    f"{API}/goals/?department={self.own_department}&status=active&current_period=true",
                    name=f"{API}/goals/?department=[own]&status=active&current_period=true",
                )
            )
            self.own_goals = [goal["id"] for goal in goals.get("results", [])]
        return True

    def list_departments(self) -> list[dict]:
        return json_of(self.client.get(f"{API}/departments/")).get("results", [])

    @task(3)
    def departments_list(self):
        if self.sign_in():
            self.departments = [department["id"] for department in self.list_departments()] or self.departments

    @task(3)
    def goals_of_a_department(self):
        if self.sign_in() and self.departments:
            department = random.choice(self.departments)
            self.client.get(f"{API}/goals/?department={department}", name=f"{API}/goals/?department=[id]")

    @task(2)
    def latest_scores(self):
        if self.sign_in():
            self.client.get(f"{API}/scores/latest/")

    @task(2)
    def dashboard(self):
        if self.sign_in():
            self.client.get(f"{API}/dashboard/")

    @task(2)
    def edit_goal(self):
        if not self.sign_in() or not self.own_goals:
            return
        goal_id = random.choice(self.own_goals)
        self.edits += 1
        for attempt in range(2):
            goal, etag = self.read_goal(goal_id)
            if goal is None:
                return
            status = self.patch_goal(goal, etag, retry=attempt > 0)
            if status != 412:
                return
            _concurrency["412 then retried" if attempt == 0 else "412 again after re-reading"] += 1

    def read_goal(self, goal_id: int) -> tuple[dict | None, str]:
        answer = self.client.get(f"{API}/goals/{goal_id}/", name=f"{API}/goals/[id]/")
        return json_of(answer) or None, answer.headers.get("ETag", "")

    def patch_goal(self, goal: dict, etag: str, *, retry: bool) -> int:
        """A real but harmless change: the description's edit counter, or a link's strength by 0.01 and back."""
        if self.edits % 2 and goal["links"]:
            links = [{key: link[key] for key in ("objective", "kind", "strength")} for link in goal["links"]]
            links[0]["strength"] = str(nudged(Decimal(links[0]["strength"])))
            body = {"links": links}
        else:
            description = goal["description"].split(EDIT_MARK)[0]
            body = {"description": f"{description}{EDIT_MARK}{self.edits} by {self.username}]"}
        name = f"{API}/goals/[id]/ (retry after 412)" if retry else f"{API}/goals/[id]/"
        with self.client.patch(
            f"{API}/goals/{goal['id']}/", json=body, headers={"If-Match": etag}, name=name, catch_response=True
        ) as answer:
            if answer.status_code == 412:
                answer.success()
            return answer.status_code


def nudged(strength: Decimal) -> Decimal:
    """One hundredth up or down, so that repeated edits keep the strength within 0.02 of where it started."""
    step = Decimal("0.01")
    if int(strength * 100) % 2 or strength + step > 1:
        return strength - step
    return strength + step
