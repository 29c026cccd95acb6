"""Who a client is, for the throttles: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies stand in front of the app;
then the address the outermost of them saw, counted from the right of X-Forwarded-For."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": None}}
    cache.clear()


def anonymous_post(**headers) -> int:
    """An anonymous request that gets as far as the view (a 400 for its empty body) unless it is throttled."""
    return APIClient().post(TOKEN, {}, format="json", **headers).status_code


def test_rotating_x_forwarded_for_does_not_get_around_the_throttle(two_a_minute, trusted_proxies):
    trusted_proxies(0)  # the default (tests/accounts/test_settings.py)
    statuses = [anonymous_post(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(6)]
    assert statuses == [400, 400, 429, 429, 429, 429]


def test_behind_one_trusted_proxy_the_last_forwarded_address_is_the_client(two_a_minute, trusted_proxies):
    trusted_proxies(1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    client_a = [anonymous_post(HTTP_X_FORWARDED_FOR=f"spoofed-{n}, 203.0.113.5", **proxy) for n in range(3)]
    assert client_a == [400, 400, 429]
    assert anonymous_post(HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy) == 400
