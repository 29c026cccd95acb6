"""The profile page: who you are, and the emails you choose to receive (only your own)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from notifications.models import NotificationPreference
from notifications.services import profile_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/profile/"


def test_the_profile_is_at_slash_profile():
    assert reverse("profile") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_head_sees_their_name_email_roles_and_only_the_reminder_choice(client, hanna, service):
    client.force_login(hanna)

    response = client.get(URL)

    page = response.content.decode()
    assert "Hanna Holm" in page and "hanna@example.com" in page
    assert "Department head" in page and "Customer Service" in page
    assert set(response.context["form"].fields) == {"email", "check_in_reminders"}
    assert NotificationPreference.objects.get(user=hanna).check_in_reminders  # made with the defaults


def test_the_cco_chooses_escalations_and_the_digest_and_an_executive_the_digest(client, chris, eve):
    client.force_login(chris)
    assert set(client.get(URL).context["form"].fields) == {"email", "escalations", "weekly_digest"}
    client.force_login(eve)
    assert set(client.get(URL).context["form"].fields) == {"email", "weekly_digest"}


def test_saving_turns_reminders_off_and_says_so(client, hanna, service):
    client.force_login(hanna)

    response = client.post(URL, {"email": "hanna@example.com"}, follow=True)  # the box unticked

    assert "Your profile is saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=hanna).check_in_reminders is False


def test_a_choice_the_role_does_not_offer_cannot_be_set(client, hanna, service):
    client.force_login(hanna)

    client.post(URL, {"email": "hanna@example.com", "check_in_reminders": "on", "weekly_digest": ""})

    preference = NotificationPreference.objects.get(user=hanna)
    assert preference.check_in_reminders is True
    assert preference.weekly_digest is True  # not offered to a head, so not changed by the post


def test_a_bad_email_is_refused_next_to_the_field_and_nothing_changes(client, hanna, service):
    client.force_login(hanna)

    response = client.post(URL, {"email": "not-an-address"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    hanna.refresh_from_db()
    assert hanna.email == "hanna@example.com"
    assert NotificationPreference.objects.get(user=hanna).check_in_reminders is True


def test_an_address_another_account_uses_is_refused(client, hanna, chris):
    client.force_login(hanna)

    response = client.post(URL, {"email": "Chris@Example.com", "check_in_reminders": "on"})

    assert response.context["form"].errors["email"] == ["Another account uses this email address."]
    hanna.refresh_from_db()
    assert hanna.email == "hanna@example.com"


def test_without_an_email_the_page_says_nothing_can_be_sent_and_lets_them_add_one(client, role_groups):
    person = UserFactory(username="noemail", email="", role="Executive")
    client.force_login(person)

    assert "no reminder or digest can be sent to you" in client.get(URL).content.decode()

    client.post(URL, {"email": "new@example.com", "weekly_digest": "on"})
    person.refresh_from_db()
    assert person.email == "new@example.com"
    assert "no reminder or digest can be sent to you" not in client.get(URL).content.decode()


def test_a_person_only_ever_changes_their_own_choices(client, hanna, chris):
    NotificationPreference.objects.create(user=chris, escalations=True, weekly_digest=True)
    client.force_login(hanna)

    client.post(URL, {"email": "hanna@example.com", "user": chris.pk, "weekly_digest": ""})

    assert NotificationPreference.objects.get(user=chris).weekly_digest is True
    with pytest.raises(PermissionDenied):
        profile_update(actor=hanna, user=chris, email="x@example.com", choices={"weekly_digest": False})
    chris.refresh_from_db()
    assert chris.email == "chris@example.com"
    assert NotificationPreference.objects.get(user=chris).weekly_digest is True


def test_every_page_links_to_the_profile(client, chris):
    client.force_login(chris)

    page = client.get(reverse("data-source-list")).content.decode()

    assert f'href="{URL}"' in page
