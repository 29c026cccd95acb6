"""Markup checks for every page a browser journey loads: axe-core (WCAG 2 A and AA) and the Nu HTML Checker.

Both tools come from the npm registry, pinned in package.json / package-lock.json and installed offline-ready by
`make install-dev` (`npm ci --ignore-scripts`): node_modules/axe-core/axe.min.js and
node_modules/vnu-jar/build/dist/vnu.jar (run with Java: `make chromium` installs default-jre-headless when `java`
is missing). Nothing is fetched from the internet while the tests run.

How it hooks in (tests/browser/conftest.py):
- `NuChecker` is one vnu HTTP service per test session (`java -cp vnu.jar nu.validator.servlet.Main PORT` on
  127.0.0.1), started when the first browser test starts and stopped at the end of the session.
- `PageChecks` listens to a test's page: every HTML document the live server sends to it (same origin, not a
  download, not JSON) is kept with the viewport it was shown at. Its HTML goes to vnu at once, on a worker thread.
  At the end of the test, each document is loaded again in a second tab of the same browser context (the
  document's bytes and headers replayed from memory, its stylesheets and scripts fetched from the live server),
  and axe runs there: the check sees the page exactly as the server sent it, whatever the journey did with it
  afterwards, and never races the journey's own clicks.
- Results are cached for the session per (URL path, HTML with its per-request tokens taken out, viewport), so a
  page that every journey passes through (the login form, the dashboard) is checked once.

Each problem is one line: tool, rule or message, where (CSS selector or line), and the page's URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INSTALL_HINT = "`make install-dev` installs it (npm ci), `make chromium` installs Java; `make test` runs both"

# htmx's attributes are not in the HTML standard; they are the only errors the Nu checker may report.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element “[^”]+” at this point\.$")
# Tokens that change on every response; taken out before hashing so a page is checked once per session.
PER_REQUEST = re.compile(rb'(nonce|value|content)="[A-Za-z0-9_\-+/=]{20,}"|"X-CSRFToken": "[^"]*"')

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '),
      summary: (n.failureSummary || '').split('\\n').slice(1).join(' ').trim(),
    })),
  }));
}"""


class NuChecker:
    """The Nu HTML Checker as a local HTTP service; `validate(html)` returns its error messages as dicts."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.log = tempfile.NamedTemporaryFile(prefix="vnu-", suffix=".log", delete=False)  # noqa: SIM115

    def start(self) -> None:
        java = shutil.which("java")
        if not java:
            raise RuntimeError(f"Java is needed for the Nu HTML Checker: {INSTALL_HINT}")
        if not VNU_JAR.exists():
            raise RuntimeError(f"{VNU_JAR.relative_to(ROOT)} is missing: {INSTALL_HINT}")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(  # noqa: S603
            [
                java,
                "-Xss8m",  # its schema loading recurses deeply: the default stack is enough, 512k is not
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                break
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url, timeout=2):  # noqa: S310
                return
            time.sleep(0.2)
        tail = Path(self.log.name).read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the Nu HTML Checker did not start at {self.url}:\n{tail}")

    def validate(self, html: bytes) -> list[dict]:
        request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
            f"{self.url}?out=json", data=html, headers={"Content-Type": "text/html; charset=utf-8"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            m
            for m in messages
            if m.get("type") in ("error", "non-document-error") and not HTMX_ATTRIBUTE.match(m.get("message", ""))
        ]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


@dataclass
class Document:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    viewport: dict | None
    key: tuple


@dataclass
class Session:
    """What a test session shares: the vnu service, the worker threads and the results per page already checked."""

    nu: NuChecker
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))
    nu_results: dict[tuple, Future] = field(default_factory=dict)
    axe_results: dict[tuple, list[str]] = field(default_factory=dict)
    axe_source: str = ""
    seconds: float = 0.0  # time the checks kept the tests waiting, for the summary line
    pages: int = 0
    unreadable: list[str] = field(default_factory=list)  # documents gone before their body could be read

    def __post_init__(self) -> None:
        self.ready = self.pool.submit(self.nu.wait_ready)


def _is_app_document(response, origin: str) -> bool:
    if response.request.resource_type != "document" or response.request.frame.parent_frame is not None:
        return False
    if not response.url.startswith(origin + "/"):
        return False
    headers = response.headers
    if not headers.get("content-type", "").startswith("text/html"):
        return False  # JSON, CSV, the schema's YAML
    if "attachment" in headers.get("content-disposition", ""):
        return False  # a download
    return not (300 <= response.status < 400)


def _nu_problems(url: str, messages: list[dict]) -> list[str]:
    return [
        f"vnu  {m.get('message', '').strip()} [line {m.get('lastLine', '?')}: "
        f"{(m.get('extract') or '').strip()[:90]!r}] on {url}"
        for m in messages
    ]


class PageChecks:
    """One test's documents and, at its end, their problems (`finish`)."""

    def __init__(self, session: Session, page, origin: str) -> None:
        self.session = session
        self.page = page
        self.origin = origin.rstrip("/")
        self.documents: list[Document] = []
        self.live: list[str] = []
        page.on("response", self._on_response)

    def check_now(self, label: str) -> None:
        """axe on the page as it is now (what scripts drew after the load, an opened panel), for the test's end."""
        self.live += self._run_axe(self.page, f"{self.page.url} ({label})")

    def _on_response(self, response) -> None:
        try:
            if not _is_app_document(response, self.origin):
                return
            body = response.body()
            headers = response.all_headers()
        except Exception as error:  # noqa: BLE001 (a page closed or navigated away before its body was read)
            if response.request.resource_type == "document":
                self.session.unreadable.append(f"{response.url}: {str(error).splitlines()[0]}")
            return
        viewport = self.page.viewport_size
        path = urlsplit(response.url).path
        digest = hashlib.sha256(PER_REQUEST.sub(b"", body)).hexdigest()
        key = (path, digest, (viewport or {}).get("width"))
        self.documents.append(Document(response.url, response.status, headers, body, viewport, key))
        nu_key = (path, digest)
        if nu_key not in self.session.nu_results:
            self.session.nu_results[nu_key] = self.session.pool.submit(self._validate, body)

    def _validate(self, body: bytes) -> list[dict]:
        self.session.ready.result()
        return self.session.nu.validate(body)

    def finish(self, context) -> list[str]:
        started = time.monotonic()
        problems: list[str] = list(self.live)
        seen: set[tuple] = set()
        checker = None
        try:
            for document in self.documents:
                if document.key in seen:
                    continue
                seen.add(document.key)
                if document.key not in self.session.axe_results:
                    if checker is None:
                        checker = self._checker(context)
                    self.session.axe_results[document.key] = self._axe(checker, document)
                    self.session.pages += 1
                problems += self.session.axe_results[document.key]
                nu = self.session.nu_results[document.key[:2]]
                try:
                    problems += _nu_problems(document.url, nu.result(timeout=120))
                except Exception as error:  # noqa: BLE001
                    problems.append(f"vnu  could not check the page: {error} on {document.url}")
        finally:
            if checker is not None:
                with contextlib.suppress(Exception):
                    checker.close()
            self.session.seconds += time.monotonic() - started
        return list(dict.fromkeys(problems))

    def _axe(self, checker, document: Document) -> list[str]:
        if document.viewport:
            checker.set_viewport_size(document.viewport)
        checker._markup_document = document
        try:
            checker.goto(document.url, wait_until="load")
        except Exception as error:  # noqa: BLE001
            return [f"axe  could not load the page again: {str(error).splitlines()[0]} on {document.url}"]
        return self._run_axe(checker, document.url)

    def _checker(self, context):
        """A second tab that shows a kept document again: the document from memory, its static files from the live
        server, and no other request (no htmx call, no API call), so it changes nothing and leaves nothing running."""
        checker = context.new_page()
        static = f"{self.origin}/static/"

        def gate(route):
            request = route.request
            document = checker._markup_document
            if request.url == document.url and request.resource_type == "document":
                route.fulfill(status=document.status, headers=document.headers, body=document.body)
            elif request.url.startswith(static):
                route.continue_()
            else:
                route.abort()

        checker.route("**/*", gate)
        return checker

    def _run_axe(self, page, where: str) -> list[str]:
        try:
            if not self.session.axe_source:
                self.session.axe_source = AXE_JS.read_text()
            if not page.evaluate("typeof window.axe === 'object'"):
                page.evaluate(self.session.axe_source)
            violations = page.evaluate(AXE_RUN, AXE_TAGS)
        except Exception as error:  # noqa: BLE001
            return [f"axe  could not check the page: {str(error).splitlines()[0]} on {where}"]
        return [
            f"axe  {v['id']} ({v['impact']}): {v['help']} [{node['target']}] {node['summary']} on {where}"
            for v in violations
            for node in v["nodes"]
        ]
