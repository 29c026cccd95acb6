"""The Django admin is no path around the rules: it writes domain objects through the services (same rules,
history with the admin as the actor, recompute), shows their refusals on the form with nothing saved, and only
shows what records a decision (a lever's sign-off, the decision log); no old version is written back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from cco.models import RecomputeRequest
from departments.models import Department, ReportingLine
from goals.models import CompensationLever, Goal, Period
from goals.services import goal_update
from mandates.models import DataSource, Decision, DecisionAction, MandateItem
from tests.factories import (
    CheckInFactory,
    DataSourceFactory,
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)
from tests.lever_cases import GOAL_REFUSALS, MANAGERS, refused_goal, refused_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    return admin_user


@pytest.fixture
def admin_site(client, site_admin):
    client.force_login(site_admin)
    return client


@pytest.fixture
def goal(department, period):
    return GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(40))


@pytest.fixture
def lever(goal, head):
    return LeverFactory(goal=goal, manager=head, share=Decimal(20))


def url(obj, action: str = "change") -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{action}/"


def add_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


def form_data(response) -> dict:
    """What a browser posts back from an admin form page left as it is: its fields and its inlines' management."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else [str(v) for v in value] if isinstance(value, list) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(key): value for key, value in management.initial.items()})
    return data


def post_form(client, page: str, **changes):
    response = client.get(page)
    assert response.status_code == 200
    return client.post(page, {**form_data(response), **changes})


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form is shown again"
    return response.context["adminform"].form.errors


def levers():
    return list(
        CompensationLever.objects.order_by("pk").values(
            "manager_id", "goal_id", "share", "signed_off", "signed_off_at", "signed_off_by"
        )
    )


# --- decisions are read-only -------------------------------------------------------------------------


def test_a_levers_sign_off_is_shown_but_cannot_be_set_in_the_admin(admin_site, department, lever, cco_user):
    LineFactory(department=department, signs_off_compensation=False)  # the line gives the CCO no say over pay
    decision_fields = {"signed_off", "signed_off_at", "signed_off_by"}
    page = admin_site.get(url(lever)).context["adminform"]
    assert decision_fields <= set(page.readonly_fields), "shown"
    assert decision_fields.isdisjoint(page.form.fields), "not editable"

    response = post_form(
        admin_site,
        url(lever),
        signed_off="on",
        signed_off_at_0="2026-10-05",
        signed_off_at_1="10:00",
        signed_off_by=str(cco_user.pk),
    )

    assert response.status_code == 302
    lever.refresh_from_db()
    assert (lever.signed_off, lever.signed_off_at, lever.signed_off_by) == (False, None, None)
    assert not Decision.objects.exists()


@pytest.fixture
def decision(department, lever, cco_user):
    return Decision.objects.create(
        department=department,
        lever=lever,
        subject=str(lever),
        action=DecisionAction.SIGN_OFF,
        reason="Agreed with the head.",
        by=cco_user,
    )


def test_the_decision_log_is_read_only_in_the_admin(admin_site, decision, department):
    assert admin_site.get(url(decision)).status_code == 200, "shown"
    assert admin_site.get(add_url(Decision)).status_code == 403
    data = {"department": department.pk, "subject": "x", "action": DecisionAction.VETO, "reason": "Changed my mind."}
    assert admin_site.post(add_url(Decision), data).status_code == 403
    assert admin_site.post(url(decision), data).status_code == 403
    assert admin_site.post(url(decision, "delete"), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"}
    admin_site.post("/admin/mandates/decision/", bulk)
    assert list(Decision.objects.values_list("action", "reason")) == [
        (DecisionAction.SIGN_OFF, "Agreed with the head.")
    ]


def test_no_old_version_is_written_back_from_the_history(admin_site, lever, decision, cco_user):
    signed = {"signed_off": True, "signed_off_at": timezone.now(), "signed_off_by": cco_user}
    CompensationLever.objects.filter(pk=lever.pk).update(**signed)
    lever.refresh_from_db()
    lever.save()  # a version that was signed off ...
    lever.signed_off, lever.signed_off_at, lever.signed_off_by = False, None, None
    lever.save()  # ... then vetoed
    old = lever.history.filter(signed_off=True).get()

    response = admin_site.post(f"/admin/goals/compensationlever/{lever.pk}/history/{old.history_id}/", {"share": "20"})
    old_decision = decision.history.get()
    decision_revert = admin_site.post(f"/admin/mandates/decision/{decision.pk}/history/{old_decision.history_id}/", {})

    assert (response.status_code, decision_revert.status_code) == (403, 403)
    lever.refresh_from_db()
    assert lever.signed_off is False
    assert admin_site.get(f"/admin/goals/compensationlever/{lever.pk}/history/{old.history_id}/").status_code == 200


# --- levers: the same rules as the page and the API --------------------------------------------------


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_an_admin_cannot_add_a_lever_on_a_goal_that_does_not_count_now(admin_site, department, head, kind):
    goal = refused_goal(kind, department)
    data = {"department": department.pk, "manager": head.pk, "goal": goal.pk, "share": "20"}

    response = admin_site.post(add_url(CompensationLever), data)

    assert form_errors(response)["goal"] == [GOAL_REFUSALS[kind]]
    assert not CompensationLever.objects.exists()


@pytest.mark.parametrize("kind", MANAGERS)
def test_an_admin_cannot_tie_the_pay_of_someone_who_does_not_head_the_department(
    admin_site, department, other_department, cco_user, goal, kind
):
    manager = refused_manager(kind, cco=cco_user, other_department=other_department)
    data = {"department": department.pk, "manager": manager.pk, "goal": goal.pk, "share": "20"}

    response = admin_site.post(add_url(CompensationLever), data)

    assert form_errors(response)["manager"] == [f"Only a head of {department} can have pay tied to its goals."]
    assert not CompensationLever.objects.exists()


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_an_admin_lever_change_that_breaks_a_rule_shows_the_error_and_saves_nothing(
    admin_site, department, lever, kind
):
    goal = refused_goal(kind, department)
    before = levers()

    response = post_form(admin_site, url(lever), goal=str(goal.pk), share="30")

    assert form_errors(response)["goal"] == [GOAL_REFUSALS[kind]]
    assert levers() == before


def test_an_admin_lever_change_goes_through_the_service(admin_site, site_admin, lever, cco_user):
    CompensationLever.objects.filter(pk=lever.pk).update(
        signed_off=True, signed_off_at=timezone.now(), signed_off_by=cco_user
    )

    response = post_form(admin_site, url(lever), share="25")

    assert response.status_code == 302
    lever.refresh_from_db()
    assert (lever.share, lever.signed_off, lever.signed_off_by) == (Decimal(25), False, None), "the service's rule"
    assert lever.history.first().history_user == site_admin
    assert RecomputeRequest.objects.filter(department_id=lever.department_id).exists()


def test_deleting_levers_in_the_admin_goes_through_the_service(admin_site, site_admin, lever):
    bulk = {"action": "delete_selected", "_selected_action": [lever.pk], "post": "yes"}

    response = admin_site.post("/admin/goals/compensationlever/", bulk)

    assert response.status_code == 302
    assert not CompensationLever.objects.exists()
    assert CompensationLever.history.get(history_type="-").history_user == site_admin


# --- goals -------------------------------------------------------------------------------------------


def test_an_admin_goal_save_records_history_with_the_admin_and_levers_follow_the_service(
    admin_site, site_admin, department, period, head, cco_user
):
    signed = {"signed_off": True, "signed_off_at": timezone.now(), "signed_off_by": cco_user}
    in_admin = GoalFactory(department=department, period=period, title="Changed in the admin", weight=Decimal(30))
    by_service = GoalFactory(department=department, period=period, title="Changed by the service", weight=Decimal(30))
    LeverFactory(goal=in_admin, manager=head, share=Decimal(20), **signed)
    LeverFactory(goal=by_service, manager=head, share=Decimal(20), **signed)

    response = post_form(admin_site, url(in_admin), target="150")
    goal_update(actor=site_admin, goal=Goal.objects.get(pk=by_service.pk), data={"target": Decimal(150)})

    assert response.status_code == 302
    in_admin.refresh_from_db()
    assert in_admin.target == Decimal(150)
    assert in_admin.history.first().history_user == site_admin

    def outcome(goal):
        lever = goal.levers.get()
        return lever.signed_off, lever.signed_off_at is None, lever.signed_off_by_id, goal.decisions.count()

    assert outcome(in_admin) == outcome(Goal.objects.get(pk=by_service.pk))


@pytest.mark.parametrize("which", ["goal", "lever", "department"])
def test_an_admin_change_form_saved_as_it_was_adds_nothing_to_the_history_and_says_nothing_changed(
    admin_site, goal, lever, department, which
):
    obj = {"goal": goal, "lever": lever, "department": department}[which]
    history = obj.history.count()

    response = post_form(admin_site, url(obj))

    assert response.status_code == 302
    assert obj.history.count() == history
    said = [str(message) for message in admin_site.get(response["Location"]).context["messages"]]
    assert said == [f"Nothing changed: “{obj}” is as it was."]


def test_an_admin_goal_change_over_the_weight_budget_is_refused_next_to_weight(admin_site, goal, department, period):
    GoalFactory(department=department, period=period, title="Cut handle time", weight=Decimal(50))

    response = post_form(admin_site, url(goal), weight="60")

    assert "may not exceed 100" in " ".join(form_errors(response)["weight"])
    goal.refresh_from_db()
    assert goal.weight == Decimal(40)


def test_an_admin_cannot_move_a_linked_goal_to_another_period(admin_site, goal, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    LinkFactory(goal=goal, objective=ObjectiveFactory(period=period, title="Raise satisfaction"))

    response = post_form(admin_site, url(goal), period=str(following.pk))

    assert "“Raise satisfaction” is an objective of" in " ".join(form_errors(response)["period"])
    goal.refresh_from_db()
    assert goal.period == period


def test_an_admin_adds_a_goal_through_the_service(admin_site, site_admin, department, period):
    data = {
        "department": department.pk,
        "title": "Answer within a day",
        "metric": "Replies within 24 h",
        "baseline": "60",
        "target": "90",
        "direction": "higher",
        "period": period.pk,
        "weight": "30",
        "status": "active",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }

    response = admin_site.post(add_url(Goal), data)

    assert response.status_code == 302
    goal = Goal.objects.get(title="Answer within a day")
    assert goal.history.get().history_user == site_admin
    assert RecomputeRequest.objects.filter(department_id=department.pk).exists()


def test_the_goals_links_are_shown_read_only_on_the_goal_page(admin_site, goal):
    response = admin_site.get(url(goal))

    (links,) = response.context["inline_admin_formsets"]
    assert not links.has_add_permission and not links.has_change_permission and not links.has_delete_permission


# --- the organisation and the mandate ----------------------------------------------------------------


def test_a_reporting_line_that_would_close_a_cycle_is_refused_in_the_admin(admin_site):
    marketing = DepartmentFactory(name="Marketing")
    research = DepartmentFactory(name="Market Research")
    LineFactory(department=research, target=marketing)
    before = list(ReportingLine.objects.values_list("department_id", "target_id"))
    data = {"department": marketing.pk, "target": research.pk, "kind": "dotted"}

    response = admin_site.post(add_url(ReportingLine), data)

    assert form_errors(response)["target"] == [
        "This line would close a cycle: Marketing → Market Research → Marketing."
    ]
    assert list(ReportingLine.objects.values_list("department_id", "target_id")) == before


def test_changing_a_line_to_close_a_cycle_is_refused_in_the_admin(admin_site):
    marketing = DepartmentFactory(name="Marketing")
    research = DepartmentFactory(name="Market Research")
    LineFactory(department=research, target=marketing)
    line = LineFactory(department=marketing, target=None)

    response = post_form(admin_site, url(line), target=str(research.pk))

    assert form_errors(response)["target"] == [
        "This line would close a cycle: Marketing → Market Research → Marketing."
    ]
    line.refresh_from_db()
    assert line.target_id is None


def test_a_department_saved_in_the_admin_keeps_its_history_with_the_admin(admin_site, site_admin, department, head):
    response = post_form(admin_site, url(department), name="Customer Service")

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "Customer Service"
    assert list(department.heads.all()) == [head]
    assert department.history.first().history_user == site_admin


def test_the_admin_role_cannot_record_the_mandate_which_is_the_ccos(admin_site):
    item = MandateItem.objects.first()
    before = (item.status, item.evidence)

    page = admin_site.get(url(item))
    response = admin_site.post(url(item), {"status": "granted", "evidence": "Said so in the admin."})

    assert page.status_code == 200 and "status" not in page.context["adminform"].form.fields, "shown, not editable"
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.evidence) == before


def test_a_goal_saved_while_its_page_fails_otherwise_is_rolled_back(admin_site, goal):
    data = form_data(admin_site.get(url(goal)))
    data = {key: value for key, value in data.items() if not key.startswith("links-")}  # an inline's data is missing

    response = admin_site.post(url(goal), {**data, "target": "150"})

    assert response.status_code == 200, "the form is shown again"
    goal.refresh_from_db()
    assert goal.target == Decimal(100)
    assert goal.history.count() == 1


def test_an_admin_deletes_a_goal_with_its_claimed_links_through_the_service(admin_site, site_admin, lever, goal):
    LinkFactory(goal=goal)

    response = admin_site.post(url(goal, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert Goal.history.get(history_type="-").history_user == site_admin


def test_an_admin_cannot_delete_a_goal_holding_check_ins_alone_or_in_a_selection(admin_site, department, goal):
    CheckInFactory(goal=goal)
    plain = GoalFactory(department=department, period=goal.period, title="Nothing recorded yet", weight=Decimal(10))
    refusal = "has 1 check-in on record: archive it instead"

    confirm = admin_site.get(url(goal, "delete"))
    admin_site.post(url(goal, "delete"), {"post": "yes"})
    selection = admin_site.post(
        "/admin/goals/goal/", {"action": "delete_selected", "_selected_action": [goal.pk, plain.pk], "post": "yes"}
    )

    assert refusal in confirm.content.decode()
    assert refusal in selection.content.decode()
    assert set(Goal.objects.values_list("pk", flat=True)) == {goal.pk, plain.pk}, "nothing of the selection deleted"


def test_an_admin_cannot_archive_a_goal_the_cco_asserted_a_conflict_on(admin_site, department, goal, cco_user):
    from mandates.services import conflict_assert

    objective = ObjectiveFactory(period=goal.period, title="Happier customers")
    conflict_assert(actor=cco_user, goal=goal, objective=objective, strength=Decimal("0.7"), reason="Rushed.")

    response = post_form(admin_site, url(goal), status="archived")

    assert "only the CCO can archive it or make it a draft" in form_errors(response)["status"][0]
    goal.refresh_from_db()
    assert goal.status == "active"


def test_every_domain_page_of_the_admin_opens(admin_site, lever, decision, period):
    line = LineFactory(department=lever.department)
    source = DataSourceFactory()
    objects = [lever, lever.goal, lever.department, line, period, source, decision, MandateItem.objects.first()]
    for obj in objects:
        assert admin_site.get(url(obj)).status_code == 200, obj
        assert admin_site.get(f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/").status_code == 200, obj
    for model in (CompensationLever, Goal, type(lever.department), ReportingLine, type(period), type(source)):
        assert admin_site.get(add_url(model)).status_code == 200, model


def test_a_data_source_refreshed_in_the_future_is_refused_in_the_admin(admin_site):
    data = {"name": "CRM", "category": "behaviour", "last_refreshed_at_0": "2099-01-01", "last_refreshed_at_1": "10:00"}

    response = admin_site.post(add_url(DataSource), data)

    assert form_errors(response)["last_refreshed_at"] == ["A source cannot have been refreshed in the future."]
    assert not DataSource.objects.exists()


def test_an_admin_makes_another_period_current_through_the_service(admin_site, site_admin, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)

    response = post_form(admin_site, url(following), is_current="on")

    assert response.status_code == 302
    assert list(Period.objects.filter(is_current=True)) == [following]
    assert following.history.first().history_user == site_admin


def test_an_admin_cannot_delete_a_department_with_decisions_on_record(admin_site, department, cco_user):
    Decision.objects.create(department=department, action=DecisionAction.VETO, subject="A goal", reason="Off strategy.",
                            by=cco_user)  # fmt: skip
    page = url(department, "delete")

    confirm = admin_site.get(page)
    admin_site.post(page, {"post": "yes"})

    assert "the following protected related objects" in confirm.content.decode()  # the decisions that keep it
    assert Department.objects.filter(pk=department.pk).exists()
    with pytest.raises(ProtectedError):  # and on any path that deletes without the service
        department.delete()


def test_the_admin_does_not_overwrite_a_goal_changed_since_its_page_was_read(admin_site, goal, head):
    """The web form and the API refuse a save made from a stale read (412); so does the admin, saying who changed
    what, and the page then carries the new version so a second, informed save goes through."""
    page = url(goal)
    data = {**form_data(admin_site.get(page)), "title": "Resolve at first contact, every time"}
    goal_update(actor=head, goal=Goal.objects.get(pk=goal.pk), data={"target": Decimal(80)})

    refused = admin_site.post(page, data)

    assert "changed “Resolve at first contact” since you opened this page" in str(form_errors(refused))
    goal.refresh_from_db()
    assert (goal.title, goal.target) == ("Resolve at first contact", Decimal(80))

    again = admin_site.post(page, {**data, "version": form_data(refused)["version"], "target": "80"})

    assert again.status_code == 302, form_errors(again)
    goal.refresh_from_db()
    assert (goal.title, goal.target) == ("Resolve at first contact, every time", Decimal(80))


def test_a_lever_and_a_mandate_item_change_form_carry_their_version(admin_site, lever):
    assert "version" in admin_site.get(url(lever)).context["adminform"].form.fields
    assert "version" in admin_site.get(url(MandateItem.objects.first())).context["adminform"].form.fields


def test_the_admin_asks_again_what_a_line_lets_the_cco_do_when_its_kind_changes(admin_site, department):
    """As the org chart's form does: the admin's form always sends the three authority boxes, so their presence says
    nothing; the confirmation box does."""
    line = LineFactory(department=department, kind="dotted", sets_goals=False, signs_off_compensation=False,
                       can_veto=False)  # fmt: skip

    refused = post_form(admin_site, url(line), kind="direct")

    assert "say what the line now lets the CCO do" in form_errors(refused)["kind"][0]
    line.refresh_from_db()
    assert line.kind == "dotted"

    confirmed = post_form(admin_site, url(line), kind="direct", authority_reviewed="on")

    assert confirmed.status_code == 302
    line.refresh_from_db()
    assert line.kind == "direct"


def test_deleting_an_account_paid_by_levers_is_refused_and_the_levers_stay(admin_site, lever, head):
    """Deleting the account would have deleted the pay with it and changed the scores with no recompute owed:
    the admin lists the levers that protect it; deactivating the account is the way to let someone go."""
    confirm = admin_site.get(f"/admin/auth/user/{head.pk}/delete/")
    admin_site.post(f"/admin/auth/user/{head.pk}/delete/", {"post": "yes"})

    assert "the following protected related objects" in confirm.content.decode()
    assert CompensationLever.objects.filter(pk=lever.pk).exists()
    with pytest.raises(ProtectedError):
        head.delete()
