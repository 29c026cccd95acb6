"""A goal fed by a data source stays fed unless someone it does not measure unbinds it: its heads could otherwise
unbind it and type their own progress. Every path a head has (the service, the API, the web form, the Django admin
for an admin who heads the department) refuses it and changes nothing; the CCO or an admin who is not measured by it
may unbind or rebind it, and anyone may bind a typed goal to a metric."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cco.versions import version_of
from goals.models import Goal
from goals.services import goal_update
from mandates.models import SourceMetric
from tests.admin.test_admin_goes_through_services import form_errors, post_form
from tests.web.test_goal_editing import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(org):
    """The org's goal, fed by the CRM's metric "fcr"; the CRM also has "calls"."""
    for name in ("fcr", "calls"):
        SourceMetric.objects.create(data_source=org.source, name=name)
    Goal.objects.filter(pk=org.goal.pk).update(data_source=org.source, source_metric="fcr")
    return Goal.objects.get(pk=org.goal.pk)


def binding(goal) -> tuple:
    return Goal.objects.filter(pk=goal.pk).values_list("data_source_id", "source_metric").get()


def test_a_head_cannot_unbind_their_fed_goal(fed, org, head):
    with pytest.raises(ValidationError) as refused:
        goal_update(actor=head, goal=fed, data={"data_source": None, "source_metric": ""})
    assert (
        "only the CCO or an admin who is not paid by it can unbind it" in refused.value.message_dict["data_source"][0]
    )
    assert binding(fed) == (org.source.pk, "fcr")


def test_a_head_cannot_bind_it_to_another_metric(fed, org, head):
    with pytest.raises(ValidationError) as refused:
        goal_update(actor=head, goal=fed, data={"source_metric": "calls"})
    assert "arrive from CRM: fcr" in refused.value.message_dict["source_metric"][0]
    assert binding(fed) == (org.source.pk, "fcr")


def test_a_head_still_edits_the_rest_of_a_fed_goal(fed, head):
    goal_update(actor=head, goal=fed, data={"description": "First-contact resolution, from the CRM."})
    assert Goal.objects.get(pk=fed.pk).description == "First-contact resolution, from the CRM."


def test_a_head_may_bind_a_typed_goal(org, head):
    SourceMetric.objects.create(data_source=org.source, name="fcr")
    goal_update(actor=head, goal=org.goal, data={"data_source": org.source, "source_metric": "fcr"})
    assert binding(org.goal) == (org.source.pk, "fcr")


@pytest.mark.parametrize("role", ["cco_user", "admin_user"])
def test_the_cco_or_an_admin_unbinds_it(fed, request, role):
    goal_update(actor=request.getfixturevalue(role), goal=fed, data={"data_source": None, "source_metric": ""})
    assert binding(fed) == (None, "")


def test_an_admin_who_heads_the_department_cannot(fed, org, admin_user):
    org.department.heads.add(admin_user)
    with pytest.raises(ValidationError, match="Ask them"):
        goal_update(actor=admin_user, goal=fed, data={"source_metric": "calls"})
    assert binding(fed) == (org.source.pk, "fcr")


def test_the_api_refuses_the_head_field_by_field(fed, org, head, client_for):
    response = client_for(head).patch(
        reverse("api:goal-detail", args=[fed.pk]), {"data_source": None, "source_metric": ""}, format="json",
        HTTP_IF_MATCH="*",
    )  # fmt: skip
    assert response.status_code == 400
    assert "unbind it" in response.json()["errors"]["data_source"][0]
    assert binding(fed) == (org.source.pk, "fcr")


def post_unbound(client, fed, org) -> None:
    """The goal's edit form sent back as it is, but with the data source and metric emptied."""
    data = payload(
        org.period, (org.objective, "supports", "0.8"), title=fed.title, metric=fed.metric, unit=fed.unit,
        baseline="0", target="100", direction="higher", weight="40", data_source="", source_metric="",
    )  # fmt: skip
    response = client.post(reverse("goal-edit", args=[fed.pk]), data | {"version": version_of(fed)})
    assert response.status_code == 302, response.context["form"].errors


def test_the_web_form_shows_the_binding_fixed_and_keeps_it(fed, org, head, client):
    client.force_login(head)
    page = client.get(reverse("goal-edit", args=[fed.pk]))
    form = page.context["form"]
    assert form.fields["data_source"].disabled and form.fields["source_metric"].disabled
    assert "only the CCO or an admin who is not paid by it can unbind it" in page.content.decode()
    post_unbound(client, fed, org)
    assert binding(fed) == (org.source.pk, "fcr"), "a tampered POST does not unbind it"


def test_the_ccos_web_form_can_unbind_it(fed, org, cco_user, client):
    client.force_login(cco_user)
    assert not client.get(reverse("goal-edit", args=[fed.pk])).context["form"].fields["data_source"].disabled
    post_unbound(client, fed, org)
    assert binding(fed) == (None, "")


def test_the_django_admin_refuses_an_admin_who_heads_it(fed, org, admin_user, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    org.department.heads.add(admin_user)
    client.force_login(admin_user)
    response = post_form(client, f"/admin/goals/goal/{fed.pk}/change/", source_metric="calls")
    assert "unbind it" in form_errors(response)["source_metric"][0]
    assert binding(fed) == (org.source.pk, "fcr")
