"""A signed-in user's own copy of a page that is costly to render and the same until the data changes (the executive
dashboard at 2,000 departments), kept with cco.shared_reads: a write to the watched data, a change of any part of its
key, or SHARED_READS_SECONDS makes it unreachable, and the next view renders it again.

What differs between two responses of the same page to the same person is left in the copy as a hole and filled per
request: the CSRF token (every response gets its own mask of the session's secret, as Django's BREACH protection
wants, so a copy is not tied to one browser's cookie), and the fragments the view renders fresh every time (the
dashboard's status line, with its "computed 2 minutes ago"). Holes are named with a digest of SECRET_KEY, so nobody
can type one into a name and have it filled.

A copy belongs to one user: nobody is shown another's page. A request with messages waiting is rendered for itself and
not kept, since the messages are its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

from .shared_reads import kept

CSRF_HOLE = "csrf"


def hole(name: str) -> str:
    """The placeholder a kept page holds where `name` is filled in per request: letters, digits and dashes, which
    escaping leaves as they are."""
    return _hole(name, settings.SECRET_KEY)


@functools.lru_cache(maxsize=16)
def _hole(name: str, secret: str) -> str:
    return f"cco-hole-{name}-" + salted_hmac("cco.kept_pages.hole", name, secret=secret).hexdigest()[:20]


def kept_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    key: tuple | None,
    fresh: Mapping[str, str] | None = None,
) -> HttpResponse:
    """`template_name` rendered with `context()` for `request.user`, or their copy of it for the same `key` (what else
    the page depends on: the period, the page number, the state of the scores) since the data last changed.

    `key=None` renders without keeping (a search, say, whose variants are the user's to make and would each take a
    copy). `fresh` names the fragments filled in per request; the template shows each as `{{ <name> }}`."""
    fresh = fresh or {}
    holes = {name: hole(name) for name in fresh}

    def render() -> bytes:  # kept encoded and without the templates' indentation, as it is sent
        html = render_to_string(template_name, {**context(), **holes, "csrf_token": hole(CSRF_HOLE)}, request)
        return compact(html).encode()

    if key is None or _messages_waiting(request):
        html = render()
    else:
        html = kept("page", template_name, request.user.pk, *key, compute=render)
    html = html.replace(hole(CSRF_HOLE).encode(), get_token(request).encode())
    for name, fragment in fresh.items():
        html = html.replace(holes[name].encode(), fragment.encode())
    return HttpResponse(html)


def compact(html: str) -> str:
    """`html` without the indentation of its lines, which a browser renders as it renders the line break alone (a
    page with preformatted text or a text area is left as it is): 6% of the dashboard."""
    if "<pre" in html or "<textarea" in html:
        return html
    return _INDENTATION.sub("\n", html)


_INDENTATION = re.compile(r"\n\s+")


def _messages_waiting(request: HttpRequest) -> bool:
    """Whether the messages framework holds something for this response (counting them does not mark them shown)."""
    return len(get_messages(request)) > 0
