"""Nobody may move their own number: where the data cannot evaluate a checklist item, the CCO's own status counts at
half until an executive or an admin confirms it, and a later change by the CCO withdraws the confirmation. The rule
holds on every path: the service, the checklist page, the API and the Django admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cco.versions import version_of
from mandates.checklist import ensure_checklist
from mandates.models import MandateItem
from mandates.selectors import latest_empowerment
from mandates.services import empowerment_refresh, mandate_item_confirm, mandate_item_update

pytestmark = pytest.mark.django_db
CULTURE = "customer-centric-culture"  # one of the four items only the CCO's status can speak for


@pytest.fixture
def granted(db, cco_user):
    """The CCO records the culture item as granted, with evidence: the only item granted."""
    ensure_checklist(MandateItem)
    item = MandateItem.objects.get(key=CULTURE)
    mandate_item_update(actor=cco_user, item=item, status="granted", evidence="Customer town hall, 2026-10-01.")
    return MandateItem.objects.get(pk=item.pk)


def score() -> float:
    empowerment_refresh()
    return float(latest_empowerment().score)


def test_the_ccos_own_grant_counts_at_half_until_an_executive_confirms_it(granted, executive):
    items = MandateItem.objects.count()
    assert score() == round(100 * 0.5 / items, 1)

    mandate_item_confirm(actor=executive, item=granted)

    granted.refresh_from_db()
    assert (granted.confirmed_by, granted.confirmed_at is not None) == (executive, True)
    assert score() == round(100 * 1.0 / items, 1)
    snapshot = latest_empowerment().items
    assert next(i for i in snapshot if i["key"] == CULTURE)["awaits_confirmation"] is False


def test_the_cco_cannot_confirm_their_own_status(granted, cco_user):
    with pytest.raises(PermissionDenied) as refused:
        mandate_item_confirm(actor=cco_user, item=granted)
    assert (
        str(refused.value)
        == "The checklist measures your own powers, so an executive or an admin confirms it, not you."
    )
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None


def test_a_head_cannot_confirm_it_either(granted, head):
    with pytest.raises(PermissionDenied):
        mandate_item_confirm(actor=head, item=granted)


def test_the_ccos_later_change_withdraws_the_confirmation(granted, admin_user, cco_user):
    mandate_item_confirm(actor=admin_user, item=granted)
    mandate_item_update(actor=cco_user, item=MandateItem.objects.get(pk=granted.pk), status="granted",
                        evidence="Town hall every quarter, agreed with the CEO.")  # fmt: skip
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None


def test_the_cco_saving_it_unchanged_keeps_the_confirmation(granted, admin_user, cco_user):
    mandate_item_confirm(actor=admin_user, item=granted)
    item = MandateItem.objects.get(pk=granted.pk)
    mandate_item_update(actor=cco_user, item=item, status=item.status, evidence=item.evidence)
    assert MandateItem.objects.get(pk=granted.pk).confirmed_by == admin_user


def test_an_item_the_data_evaluates_is_not_confirmed_by_anyone(granted, executive):
    evaluated = MandateItem.objects.get(key="manage-customer-facing")
    with pytest.raises(ValidationError) as refused:
        mandate_item_confirm(actor=executive, item=evaluated)
    assert "evaluated from the data" in refused.value.messages[0]


def test_nothing_to_confirm_on_an_item_not_granted(granted, executive):
    not_granted = MandateItem.objects.get(key="change-products-processes")
    with pytest.raises(ValidationError) as refused:
        mandate_item_confirm(actor=executive, item=not_granted)
    assert "not granted: there is nothing to confirm" in refused.value.messages[0]


def test_a_confirmation_of_a_version_the_cco_changed_since_is_refused(granted, executive, cco_user):
    read = version_of(granted)
    mandate_item_update(actor=cco_user, item=granted, status="partial", evidence="Only in Service so far.")
    with pytest.raises(ValidationError):
        mandate_item_confirm(actor=executive, item=MandateItem.objects.get(pk=granted.pk), version=read)
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None


# --- the checklist page -------------------------------------------------------------------------------


def test_the_page_says_it_awaits_confirmation_and_an_executive_confirms_it(granted, executive, client):
    client.force_login(executive)
    page = client.get(reverse("mandate-checklist")).content.decode()
    assert "Not confirmed yet" in page and "Until then it counts at half." in page

    response = client.post(
        reverse("mandate-item-confirm", args=[granted.pk]),
        {f"confirm-{granted.pk}-confirmed": "1", f"confirm-{granted.pk}-version": version_of(granted)},
        follow=True,
    )

    page = response.content.decode()
    assert "confirmed: it now counts in full" in page
    assert "✓ Confirmed</span> by" in page
    assert MandateItem.objects.get(pk=granted.pk).confirmed_by == executive


def test_the_cco_sees_no_confirm_button_and_a_post_is_refused(granted, cco_user, client):
    client.force_login(cco_user)
    assert "Confirm the CCO's status" not in client.get(reverse("mandate-checklist")).content.decode()
    response = client.post(reverse("mandate-item-confirm", args=[granted.pk]), {f"confirm-{granted.pk}-confirmed": "1"})
    assert response.status_code == 403
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None


def test_a_stale_page_is_refused_with_a_message(granted, executive, cco_user, client):
    client.force_login(executive)
    read = version_of(granted)
    mandate_item_update(actor=cco_user, item=granted, status="partial", evidence="Only in Service so far.")
    response = client.post(
        reverse("mandate-item-confirm", args=[granted.pk]),
        {f"confirm-{granted.pk}-confirmed": "1", f"confirm-{granted.pk}-version": read},
        follow=True,
    )
    assert "changed" in response.content.decode()
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None


# --- the API and the admin ----------------------------------------------------------------------------


def test_the_api(granted, executive, cco_user):
    from rest_framework.test import APIClient

    url = f"/api/v1/mandate-items/{granted.pk}/confirm/"
    as_cco, as_executive = APIClient(), APIClient()
    as_cco.force_authenticate(cco_user)
    as_executive.force_authenticate(executive)
    assert as_cco.post(url, {}, format="json").status_code == 403

    etag = as_executive.get(f"/api/v1/mandate-items/{granted.pk}/")["ETag"]
    assert as_executive.get(f"/api/v1/mandate-items/{granted.pk}/").json()["awaits_confirmation"] is True
    response = as_executive.post(url, {"version": etag}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["confirmed_by"], response.json()["awaits_confirmation"]) == (executive.pk, False)

    withdrawn = as_executive.post(url, {"confirmed": False}, format="json")
    assert withdrawn.json()["awaits_confirmation"] is True
    evaluated = MandateItem.objects.get(key="manage-customer-facing")
    refused = as_executive.post(f"/api/v1/mandate-items/{evaluated.pk}/confirm/", {}, format="json")
    assert refused.status_code == 400


def test_the_django_admin_action_is_all_or_nothing(granted, admin_user, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    evaluated = MandateItem.objects.get(key="manage-customer-facing")
    changelist = "/admin/mandates/mandateitem/"

    refused = client.post(
        changelist, {"action": "confirm_status", "_selected_action": [granted.pk, evaluated.pk]}, follow=True
    )
    assert "Nothing was changed." in refused.content.decode()
    assert MandateItem.objects.get(pk=granted.pk).confirmed_at is None

    client.post(changelist, {"action": "confirm_status", "_selected_action": [granted.pk]})
    assert MandateItem.objects.get(pk=granted.pk).confirmed_by == admin_user
