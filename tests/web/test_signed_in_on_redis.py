"""Sessions, who is signed in and the dashboard's copy on a real Redis, through the cache production uses
(cco.redis_cache.RedisCache): read from it, and every change of who someone is acting on their next request."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cco import cache_outage
from cco.redis_cache import RedisCache
from cco.roles import EXECUTIVE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_cache(redis_url, settings):
    """The production cache on this test's Redis, under a prefix of its own."""
    cache_outage.reset()
    settings.CACHES = {
        "default": {
            "BACKEND": "cco.redis_cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    cache.clear()


def test_the_dashboard_is_served_from_redis_with_no_query_and_a_role_taken_away_acts_at_once(web_org, production_cache):
    executive = web_org["users"]["executive"]
    client = Client()
    client.force_login(executive)
    assert client.get(reverse("dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert web_org["department"].name in response.content.decode()
    assert len(queries) == 0, [query["sql"] for query in queries]
    executive.groups.remove(Group.objects.get(name=EXECUTIVE))
    assert client.get(reverse("dashboard")).status_code == 403


def test_one_redis_client_serves_every_call(production_cache):
    from django.core.cache import caches

    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    backend.set("answer", 42)
    assert backend.get("answer") == 42
    assert backend._cache.get_client() is backend._cache.get_client(write=True)
