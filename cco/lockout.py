"""Sign-in lockout: django-axes, configured in cco/settings/base.py and described in docs/operations.md.

Every password check goes through `django.contrib.auth.authenticate(request=...)`: the login page, the admin's login
and the API's password-for-token exchange. django-axes counts the failures per username and client address and per
client address alone; this module holds the three places where the project differs from its defaults:

- `client_ip_address`: which address a request comes from (the same answer the API's throttles use);
- `LockoutHandler`: axes' database handler, made to work through DRF's Request, to reset fairly on success and to
  lock an address only at its own, higher limit (AXES_ADDRESS_FAILURE_LIMIT);
- `lockout_response`: what a locked-out client is told, as a page or in the API's JSON error shape.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import time_format
from rest_framework.throttling import BaseThrottle

LOCKED_OUT_CODE = "locked_out"


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front the address the outermost of
    them saw (counted from the right of X-Forwarded-For).

    This is DRF's own rule for its throttles (REST_FRAMEWORK["NUM_PROXIES"], set from TRUSTED_PROXY_COUNT), so the
    lockout and the throttles always agree on who a client is. Anything that is not an IP address falls back to
    REMOTE_ADDR, which a client cannot forge.
    """
    forwarded = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (attempts in the database, shown and deleted in the admin) with two changes.

    - The API authenticates with DRF's Request, which wraps the HttpRequest: the lockout flag axes sets on it is
      copied to the HttpRequest, where axes' middleware looks for it to answer with `lockout_response`.
    - A successful sign-in clears that user's failures from that client only. axes' default clears everything the
      lockout parameters match, which includes the per-address count: anyone with a valid account could then wipe,
      by signing in, the failures their guesses at other accounts had run up from the same address.
    """

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        wrapped = getattr(request, "_request", None)
        if isinstance(wrapped, HttpRequest) and getattr(request, "axes_locked_out", False):
            for name, value in vars(request).items():
                if name.startswith("axes_"):
                    setattr(wrapped, name, value)

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT: those of this username from this address as they are,
        and those from this address under any username scaled so that they reach it only at
        AXES_ADDRESS_FAILURE_LIMIT. axes has one limit for every lockout parameter; with it an office behind one
        address (NAT) was locked out for everyone once five people mistyped, while a guesser spraying usernames from
        one address is still stopped, only later."""
        username = get_client_username(request, credentials)
        parameters = get_client_parameters(
            username, request.axes_ip_address, request.axes_user_agent, request, credentials
        )
        limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT
        counts = []
        for matched, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            counts.append(failures * limit // address_limit if set(matched) == {"ip_address"} else failures)
        return max(counts, default=0)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def unlocks_at(request: HttpRequest, credentials: dict | None = None) -> datetime:
    """When the lockout that refused this request is over at the latest: the cool-off after the newest failure that
    counts against it (failures made while locked out do not extend it)."""
    attempts = LockoutHandler().get_user_attempts(request, credentials)
    newest = max(
        (latest for qs in attempts if (latest := qs.aggregate(latest=Max("attempt_time"))["latest"])),
        default=timezone.now(),
    )
    return newest + get_cool_off(request)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """429 for a locked-out client: the lockout page (AXES_LOCKOUT_TEMPLATE), or for the API the JSON error shape
    (docs/api.md) with `code` "locked_out"; both say when to try again and that an administrator can unlock."""
    until = unlocks_at(request, credentials)
    retry_after = max(1, math.ceil((until - timezone.now()).total_seconds()))
    match = getattr(request, "resolver_match", None)
    if match is not None and "api" in match.namespaces:
        local_until = timezone.localtime(until)
        detail = (
            "Too many failed sign-ins from this client: sign-in is locked. "
            f"Try again after {time_format(local_until, 'H:i T')}, or ask an administrator to unlock the account."
        )
        response = JsonResponse({"detail": detail, "code": LOCKED_OUT_CODE, "errors": {}}, status=429)
    else:
        context = {
            "unlocks_at": until,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "address_failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
            "cool_off_minutes": round(get_cool_off(request).total_seconds() / 60),
        }
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
