"""CI's production smoke test: the app as an operator runs it, from a venv that holds only requirements.txt.

    python ops/smoke.py        # DATABASE_URL (an empty database) and REDIS_URL in the environment

It migrates, loads the demo and collects static files with production settings, starts gunicorn, a Celery
worker and beat, signs in through the API, edits a goal and waits for the department's score to change, queues the
quarter's roll-over as the CCO and waits for the worker to finish it, then stops everything it started. Exit status
0 when all of that worked; the logs of every process otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ops.stack import Stack, free_port, http_json, wait_for  # noqa: E402

SCORE_WITHIN_SECONDS = 20
ROLL_OVER_WITHIN_SECONDS = 60


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def smoke(stack: Stack) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        stack.manage(*command)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stack.gunicorn(port)
    stack.worker()
    stack.beat()

    def worker_up():
        status, body, *_ = http_json(f"{base}/healthz")
        return status == 200 and body["status"] == "ok" and body

    print("healthz:", wait_for(worker_up, timeout=60, what="/healthz to report a live worker"))

    status, login_page, raw, _ = http_json(f"{base}/accounts/login/")
    check(status == 200 and "<form" in raw, f"the login page answers {status}")
    status, body, raw, _ = http_json(
        f"{base}/api/v1/auth/token/", method="POST", body={"username": "head-sales", "password": "demo"}
    )
    check(status == 200, f"signing in as head-sales answered {status}: {raw[:200]}")
    auth = {"Authorization": f"Token {body['token']}"}

    status, page, *_ = http_json(f"{base}/api/v1/departments/", headers=auth)
    sales = next(d for d in page["results"] if d["name"] == "Sales")
    before = sales["alignment_score"]
    query = f"department={sales['id']}&status=active&current_period=true"
    status, page, *_ = http_json(f"{base}/api/v1/goals/?{query}", headers=auth)
    goal = next(g for g in page["results"] if g["links"])
    status, body, raw, _ = http_json(
        f"{base}/api/v1/goals/{goal['id']}/",
        method="PATCH",
        body={"links": []},
        headers={**auth, "If-Match": "*"},
    )
    check(status == 200, f"the goal edit answered {status}: {raw[:300]}")
    print(f"edited {goal['title']!r}: Sales scored {before} before")

    started = time.monotonic()

    def score_moved():
        _, department, *_ = http_json(f"{base}/api/v1/departments/{sales['id']}/", headers=auth)
        return department["alignment_score"] != before and department["alignment_score"]

    after = wait_for(score_moved, timeout=SCORE_WITHIN_SECONDS, what="the Sales score to change")
    print(f"Sales scored {after} after {time.monotonic() - started:.1f} s")
    roll_over(base)


def roll_over(base: str) -> None:
    """The CCO queues the quarter's roll-over into the next period and follows the job until a worker has done it."""
    status, body, raw, _ = http_json(
        f"{base}/api/v1/auth/token/", method="POST", body={"username": "cco", "password": "demo"}
    )
    check(status == 200, f"signing in as cco answered {status}: {raw[:200]}")
    auth = {"Authorization": f"Token {body['token']}"}
    _, page, *_ = http_json(f"{base}/api/v1/periods/", headers=auth)
    periods = page["results"] if isinstance(page, dict) else page
    current = next(p for p in periods if p["is_current"])
    following = next(p for p in periods if p["start"] == current["end"])
    status, job, raw, _ = http_json(
        f"{base}/api/v1/periods/{following['id']}/roll-over/", method="POST", body={"from": current["id"]}, headers=auth
    )
    check(status == 202, f"queuing the roll-over answered {status}: {raw[:300]}")
    follow = f"{base}{urlsplit(job['url']).path}"

    def finished():
        _, followed, *_ = http_json(follow, headers=auth)
        return followed["state"] in ("done", "failed") and followed

    job = wait_for(finished, timeout=ROLL_OVER_WITHIN_SECONDS, what="the roll-over job to finish")
    check(job["state"] == "done", f"the roll-over job failed: {job['error']}")
    print(f"rolled {current['name']} over into {following['name']}: {job['result']['counts']}")


def main() -> int:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            print(f"{name} must be set", file=sys.stderr)
            return 2
    env = {
        "DJANGO_SETTINGS_MODULE": "cco.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "smoke-test-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS in front
    }
    with Stack(env=env) as stack:
        try:
            smoke(stack)
        except Exception as exc:
            print(f"PRODUCTION SMOKE TEST FAILED: {exc}\n\n{stack.logs()}", file=sys.stderr)
            return 1
    print("production smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
