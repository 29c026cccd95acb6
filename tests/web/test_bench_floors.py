"""make bench's floors (pages/floor.py): the public one reveals nothing; the signed-in one asks what the dashboard
asks, so it is no way around a rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_floor_answers_anyone_and_says_nothing(client):
    response = client.get(reverse("bench-floor"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_signed_in_floor_answers_only_who_may_see_the_dashboard(client, executive, django_user_model):
    path = reverse("bench-floor-signed-in")
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(path).status_code == 403
    client.force_login(executive)
    response = client.get(path)
    assert (response.status_code, response.content) == (200, b"ok")
