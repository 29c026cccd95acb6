"""Mandate services: evidence for granted items, the CCO's authority for decisions, the empowerment snapshot."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.models import GoalStatus
from mandates.checklist import ensure_checklist
from mandates.models import Decision, EmpowermentSnapshot, MandateItem
from mandates.selectors import latest_empowerment, mandate_checklist
from mandates.services import empowerment_refresh, goal_veto, lever_sign_off, mandate_item_update
from tests.factories import GoalFactory, LeverFactory, LineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(db):
    ensure_checklist(MandateItem)
    return MandateItem.objects.all()


def test_granting_an_item_without_evidence_is_refused_and_nothing_changes(cco_user, checklist):
    item = MandateItem.objects.get(key="customer-centric-culture")
    with pytest.raises(ValidationError) as error:
        mandate_item_update(actor=cco_user, item=item, status="granted", evidence="  ")
    assert "evidence" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == "not_granted"


def test_cco_grants_an_item_and_the_empowerment_score_moves(cco_user, checklist, django_capture_on_commit_callbacks):
    empowerment_refresh()
    before = latest_empowerment().score
    item = MandateItem.objects.get(key="customer-centric-culture")
    with django_capture_on_commit_callbacks(execute=True):
        mandate_item_update(actor=cco_user, item=item, status="granted", evidence="Board minutes 2026-11-02")
    assert latest_empowerment().score > before
    assert item.history.first().history_user == cco_user


def test_only_the_cco_updates_the_checklist(admin_user, checklist):
    item = MandateItem.objects.get(key="customer-centric-culture")
    with pytest.raises(PermissionDenied):
        mandate_item_update(actor=admin_user, item=item, status="partial", evidence="x")


def test_evaluated_items_show_the_data_beside_the_manual_status(cco_user, checklist, department):
    item = MandateItem.objects.get(key="manage-customer-facing")
    mandate_item_update(actor=cco_user, item=item, status="granted", evidence="Appointment letter")
    row = next(r for r in mandate_checklist() if r.item.key == "manage-customer-facing")
    assert row.evaluation.status == "not_granted"  # the department has no line to the CCO
    assert row.effective_status == "not_granted"
    assert row.disagrees


def test_empowerment_refresh_stores_nothing_when_nothing_changed(checklist):
    assert empowerment_refresh() is not None
    assert empowerment_refresh() is None
    assert EmpowermentSnapshot.objects.count() == 1


def test_sign_off_is_refused_where_the_line_gives_no_say_over_pay(cco_user, department, period, head):
    LineFactory(department=department, kind="dotted", signs_off_compensation=False)
    lever = LeverFactory(goal=GoalFactory(department=department, period=period), manager=head)
    with pytest.raises(ValidationError) as error:
        lever_sign_off(actor=cco_user, lever=lever, reason="Looks right")
    assert "does not let the CCO sign off its compensation" in error.value.messages[0]
    lever.refresh_from_db()
    assert not lever.signed_off
    assert not Decision.objects.exists()


def test_sign_off_is_refused_without_any_line(cco_user, department, period, head):
    lever = LeverFactory(goal=GoalFactory(department=department, period=period), manager=head)
    with pytest.raises(ValidationError) as error:
        lever_sign_off(actor=cco_user, lever=lever, reason="Looks right")
    assert "has no reporting line to the CCO" in error.value.messages[0]


def test_sign_off_is_logged_with_the_reason(cco_user, department, period, head):
    LineFactory(department=department)
    lever = LeverFactory(goal=GoalFactory(department=department, period=period), manager=head, share=Decimal(25))
    decision = lever_sign_off(actor=cco_user, lever=lever, reason="Tied to retention")
    lever.refresh_from_db()
    assert lever.signed_off and lever.signed_off_by == cco_user
    assert (decision.action, decision.reason, decision.by) == ("sign_off", "Tied to retention", cco_user)


def test_a_decision_needs_a_reason_and_nothing_changes_without_one(cco_user, department, period):
    LineFactory(department=department)
    goal = GoalFactory(department=department, period=period)
    with pytest.raises(ValidationError) as error:
        goal_veto(actor=cco_user, goal=goal, reason="")
    assert "reason" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_veto_sends_the_goal_back_to_draft(cco_user, department, period):
    LineFactory(department=department)
    goal = GoalFactory(department=department, period=period)
    goal_veto(actor=cco_user, goal=goal, reason="Conflicts with retention")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DRAFT


def test_heads_cannot_sign_off_their_own_levers(head, department, period):
    LineFactory(department=department)
    lever = LeverFactory(goal=GoalFactory(department=department, period=period), manager=head)
    with pytest.raises(PermissionDenied):
        lever_sign_off(actor=head, lever=lever, reason="Mine")


def test_a_decision_that_does_not_fit_its_subject_is_refused(cco_user, department, period):
    from mandates.services import decision_record

    LineFactory(department=department)
    goal = GoalFactory(department=department, period=period)
    with pytest.raises(ValidationError) as error:
        decision_record(actor=cco_user, action="sign_off", reason="Pay is fine", goal=goal)
    assert "action" in error.value.message_dict
    assert not Decision.objects.exists()


def test_import_readings_takes_a_file_whole_or_refuses_it_with_its_rows(tmp_path, cco_user, head):
    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from mandates.models import Reading, SourceMetric
    from tests.factories import DataSourceFactory

    source = DataSourceFactory(name="Web analytics")
    SourceMetric.objects.create(data_source=source, name="visits")
    now = timezone.now().isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"metric,at,value\nvisits,{now},10\nvisits,{now},many\n")
    with pytest.raises(CommandError, match="line 3: value"):
        call_command("import_readings", "Web analytics", str(bad), "--as", cco_user.username)
    good = tmp_path / "good.csv"
    good.write_text(f"metric,at,value\nvisits,{now},10\n")
    with pytest.raises(CommandError, match="not allowed"):
        call_command("import_readings", "Web analytics", str(good), "--as", head.username)
    assert not Reading.objects.exists()
    call_command("import_readings", "Web analytics", str(good), "--as", cco_user.username)
    assert Reading.objects.get().value == 10
