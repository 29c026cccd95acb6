"""Forms for the CCO's pages: they parse input only; the services validate and save (goals/mandates services)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from cco.fields import LONG_TEXT
from cco.forms import VersionedForm
from goals.models import CustomerObjective

from .models import DecisionAction, ItemStatus, SourceCategory


class MandateItemForm(VersionedForm):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=LONG_TEXT,
        help_text="A decision, a policy or a date that shows the status. Required for “granted”.",
    )


class MandateItemConfirmForm(VersionedForm):
    """An executive's or admin's confirmation of the CCO's status (or its withdrawal), of the version they read."""

    confirmed = forms.TypedChoiceField(choices=[("1", "Confirm"), ("0", "Withdraw")], coerce=lambda v: v == "1")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DataSourceForm(forms.Form):
    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=SourceCategory.choices)
    cco_has_access = forms.BooleanField(label="The CCO has access", required=False)
    last_refreshed_at = forms.DateTimeField(
        label="Last refreshed", required=False, widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    @classmethod
    def initial_from(cls, source) -> dict:
        return {name: getattr(source, name) for name in cls.base_fields}


class DecisionForm(VersionedForm):
    """Approve, sign off or veto; the reason is checked by the Decision model (kept in the decision log). It carries
    the version of the goal or lever the CCO read, so a decision is never recorded on a changed one."""

    decision = forms.ChoiceField(widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Kept in the decision log and shown to the department.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices


REASON_HELP = "Kept in the decision log and shown to the department."


class LinkReviewForm(forms.Form):
    """Confirm, adjust or reject a link a goal claims; the service checks the strength (for adjust) and the reason."""

    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            (DecisionAction.CONFIRM_LINK, "Confirm: the goal does move the objective; the link counts in full"),
            (DecisionAction.ADJUST_LINK, "Adjust the strength, and confirm the link at that strength"),
            (DecisionAction.REJECT_LINK, "Reject: the link counts nothing"),
        ],
    )
    strength = forms.DecimalField(
        max_digits=3,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
        help_text="For an adjustment: how strongly the goal really moves the objective, from 0 to 1.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=REASON_HELP)


class ConflictForm(forms.Form):
    """The CCO asserts that a goal works against an objective; the service checks the department and objective."""

    objective = forms.ModelChoiceField(queryset=CustomerObjective.objects.none())
    strength = forms.DecimalField(
        max_digits=3,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
        help_text="How strongly the goal works against the objective, from 0 to 1.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=REASON_HELP)

    def __init__(self, *args, objectives: QuerySet[CustomerObjective], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
