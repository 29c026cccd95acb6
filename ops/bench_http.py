"""The benchmark's client: one request at a time over a fresh connection (gunicorn's sync workers close each one),
signed in as a person (session cookie) or with an API token. Standard library only."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)

    def json(self):
        return json.loads(self.body) if self.body else None


@dataclass
class Client:
    """Keeps cookies by name (ignoring their Secure flag: this is loopback, and production settings stay as they are)
    and an optional `Authorization: Token` header."""

    host: str
    port: int
    timeout: float = 60
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Answer:
        """One request; raises TimeoutError or OSError when the server does not answer in time."""
        sent = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            payload = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, payload, seconds, dict(response.headers))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def send_json(self, method: str, path: str, data: dict, headers: dict | None = None) -> Answer:
        extra = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
        return self.request(method, path, body=json.dumps(data).encode(), headers=extra)


def sign_in(host: str, port: int, username: str, password: str) -> Client:
    """A client holding a session cookie, signed in through the login form as a person would."""
    client = Client(host, port)
    page = client.get("/accounts/login/")
    match = CSRF_FIELD.search(page.body.decode(errors="replace"))
    if page.status != 200 or not match:
        raise RuntimeError(f"the login page answered {page.status} without a CSRF field")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match[1]})
    answer = client.request(
        "POST", "/accounts/login/", body=form.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"signing in as {username} answered {answer.status}")
    return client


def token_client(host: str, port: int, username: str, password: str) -> Client:
    """A client sending an API token obtained with the username and password (POST /api/v1/auth/token/)."""
    client = Client(host, port)
    answer = client.send_json("POST", "/api/v1/auth/token/", {"username": username, "password": password})
    if answer.status != 200:
        raise RuntimeError(f"the token exchange for {username} answered {answer.status}: {answer.body[:200]!r}")
    client.token = answer.json()["token"]
    return client


@dataclass
class Timing:
    """Sequential requests to one URL: their latencies, the last answer's size and any failure."""

    latencies: list[float] = field(default_factory=list)
    floor_latencies: list[float] = field(default_factory=list)  # the floor's, each asked just before a request
    bytes: int = 0
    status: int = 0
    error: str = ""


def time_url(
    client: Client,
    path: str,
    *,
    requests: int,
    warmups: int,
    budget: float,
    minimum: int = 5,
    before=None,
    floor: str | None = None,
) -> Timing:
    """`warmups` unmeasured requests (just one when the first is slower than a second), then up to `requests`
    measured ones, fewer when `budget` seconds run out (never fewer than `minimum`), each after `before()` when
    given (not timed) and after one request to `floor` when given (timed apart), so that a page and the floor it is
    compared with are timed in the same moments of a machine whose speed varies. A non-200 answer or a timeout stops
    the URL and is recorded instead."""
    timing = Timing()
    try:
        for number in range(warmups):
            answer = client.get(path)
            if answer.status != 200:
                timing.status, timing.error = answer.status, f"HTTP {answer.status}"
                return timing
            if number == 0 and answer.seconds > 1:
                break
        started = time.perf_counter()  # for the budget
        for number in range(requests):
            if before is not None:
                before()
            if floor is not None:
                timing.floor_latencies.append(client.get(floor).seconds)
            answer = client.get(path)
            timing.latencies.append(answer.seconds)
            timing.status, timing.bytes = answer.status, len(answer.body)
            if answer.status != 200:
                timing.error = f"HTTP {answer.status}"
                break
            if number + 1 >= minimum and time.perf_counter() - started > budget:
                break
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        timing.error = f"no answer ({type(exc).__name__})"
    return timing
