"""Forms for the CCO's pages: they parse input only; the services validate and save (goals/mandates services)."""

from __future__ import annotations

from django import forms

from cco.fields import LONG_TEXT
from cco.forms import VersionedForm
from goals.models import Category, Period

from .models import ItemStatus, SourceCategory


class ObjectiveForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    metric = forms.CharField(max_length=120)
    unit = forms.CharField(max_length=30, required=False)
    baseline = forms.DecimalField(max_digits=16, decimal_places=4)
    target = forms.DecimalField(max_digits=16, decimal_places=4)
    period = forms.ModelChoiceField(queryset=Period.objects.order_by("-start"), empty_label=None)
    active = forms.BooleanField(required=False, initial=True, help_text="Archived objectives leave the strategy.")

    @classmethod
    def initial_from(cls, objective) -> dict:
        return {name: getattr(objective, name) for name in cls.base_fields}


class MandateItemForm(VersionedForm):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=LONG_TEXT,
        help_text="A decision, a policy or a date that shows the status. Required for “granted”.",
    )


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


class DecisionForm(forms.Form):
    """Approve, sign off or veto; the reason is checked by the Decision model (kept in the decision log)."""

    decision = forms.ChoiceField(widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Kept in the decision log and shown to the department.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
