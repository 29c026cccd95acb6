"""Forms for the goal, check-in, lever and import pages: shape and types only.

Fields come from the models (labels, limits, help text), so a number refused here is refused for the same
reason the model would refuse it; the business rules (weight totals, target vs. baseline, pay share per
manager) are the services' and come back as ValidationErrors that `show_service_errors` puts next to the
field they name.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from cco.forms import VersionedForm
from cco.wording import person
from departments.models import Department

from .links import LinkInput, parse_links
from .models import (
    MAX_LINKS_PER_GOAL,
    Category,
    CheckIn,
    CompensationLever,
    CustomerObjective,
    Goal,
    GoalLink,
    GoalStatus,
    Period,
)
from .selectors import current_period
from .services import CHECK_IN_FIELDS, GOAL_FIELDS, LEVER_FIELDS

BINDING_FIELDS = ("data_source", "source_metric")

NUMBER_ERROR = "Enter a number, such as 42 or 3.5 (not text, NaN or infinity)."
MAX_IMPORT_BYTES = 1_000_000
RANGE_VALIDATORS = (MinValueValidator, MaxValueValidator)


def _model_fields(model, names, form: forms.BaseForm) -> None:
    """Add the model's own form fields (label, validators, help text, choices) to `form`."""
    form.fields.update(forms.fields_for_model(model, fields=names))
    for name in names:
        field = form.fields[name]
        if isinstance(field, forms.DecimalField):
            field.error_messages["invalid"] = NUMBER_ERROR
            field.widget.attrs.setdefault("inputmode", "decimal")
            # The model's range (e.g. strength 0–1) is checked by the model on save; check it on the field too.
            limits = [v for v in model._meta.get_field(name).validators if isinstance(v, RANGE_VALIDATORS)]
            field.validators = [*field.validators, *limits]


def plain_number(value):
    """A stored decimal as a person writes it (11000, not 11000.0000); anything else unchanged."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


class GoalForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _model_fields(Goal, GOAL_FIELDS, self)
        self.fields["period"].queryset = Period.objects.order_by("start")
        self.fields["weight"].widget.attrs.update(step="0.01", min="0", max="100")
        self.fields["description"].widget.attrs.update(rows=3)
        if not self.is_bound and "period" not in self.initial:
            self.initial["period"] = current_period()

    @classmethod
    def initial_for(cls, goal: Goal) -> dict:
        return {name: plain_number(getattr(goal, name)) for name in GOAL_FIELDS}

    def keep_binding(self, goal: Goal, reason: str) -> None:
        """Show the fed goal's data source and metric without letting them change (the service refuses it too)."""
        for name in BINDING_FIELDS:
            field = self.fields[name]
            field.disabled, self.initial[name] = True, getattr(goal, name)
        self.fields["source_metric"].help_text = reason


class LinkForm(forms.Form):
    def __init__(self, *args, objectives: list | None = None, still_linked: frozenset[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        _model_fields(GoalLink, ("objective", "kind", "strength"), self)
        objective = self.fields["objective"]
        offered = Q(active=True) | Q(pk__in=still_linked)  # an objective archived since it was linked stays shown
        objective.queryset = CustomerObjective.objects.filter(offered).select_related("period")
        objective.label_from_instance = objective_label
        if objectives is not None:  # grouped by quarter, read once for every row (objective_choices)
            objective.choices = objectives
        objective.label = "Customer objective"
        self.fields["strength"].widget.attrs.update(step="0.05", min="0", max="1")
        for field in self.fields.values():
            field.help_text = ""  # explained once for all rows by the fieldset


LINK_ERRORS_ID = "links-errors"  # the goal form's list of errors about the links as a whole


class BaseLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[LinkInput]:
        """The rows kept (not deleted, not left empty) as LinkInputs; duplicates raise like the service does."""
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("objective")
        ]
        self._mark_repeats(kept)
        return parse_links([form.cleaned_data for form in kept])

    def _mark_repeats(self, kept: list[forms.Form]) -> None:
        """A row linking an objective an earlier row links too is invalid: its objective input says so
        (aria-invalid) and is described by the links' error list, where parse_links's "linked twice" stands."""
        seen: set[int] = set()
        self.repeated_inputs: list[str] = []
        for form in kept:
            objective = form.cleaned_data["objective"].pk
            if objective in seen:
                form.fields["objective"].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": LINK_ERRORS_ID}
                )
                self.repeated_inputs.append(form["objective"].id_for_label)
            seen.add(objective)

    @property
    def errors_target(self) -> str:
        """Where the summary's link for an error about the links goes: the first repeated row, else the first row."""
        repeated = getattr(self, "repeated_inputs", [])
        return repeated[0] if repeated else (self.forms[0]["objective"].id_for_label if self.forms else "")


# absolute_max: a posted TOTAL_FORMS of 100000 builds no more than this many forms before it is refused.
LinkFormSet = forms.formset_factory(
    LinkForm,
    formset=BaseLinkFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_LINKS_PER_GOAL,
    absolute_max=MAX_LINKS_PER_GOAL,
    validate_max=True,
)
LINK_PREFIX = "links"


def link_formset(data=None, *, goal: Goal | None = None) -> BaseLinkFormSet:
    """The goal form's link rows: `goal`'s links when it is shown for editing, the posted rows with `data`."""
    initial = None
    if goal is not None and data is None:
        initial = [
            {"objective": link.objective_id, "kind": link.kind, "strength": plain_number(link.strength)}
            for link in goal.links.all()
            if not link.asserted_by_cco  # shown apart: only the CCO can change it
        ]
    first = goal.period if goal is not None else current_period()
    still_linked = frozenset(
        goal.links.filter(objective__active=False).values_list("objective_id", flat=True) if goal is not None else ()
    )
    return LinkFormSet(
        data,
        initial=initial,
        prefix=LINK_PREFIX,
        form_kwargs={"objectives": objective_choices(first, still_linked), "still_linked": still_linked},
    )


def objective_label(objective: CustomerObjective) -> str:
    archived = "" if objective.active else ", archived: kept as it is or removed"
    return f"{objective.title} ({objective.period}{archived})"


def objective_choices(first: Period | None, still_linked: frozenset[int] = frozenset()) -> list:
    """The active objectives for a link row, grouped by quarter: `first`'s (the goal's, or the current one for a new
    goal) on top, then the others newest first. A goal links only its own quarter's objectives; the groups keep that
    in view. An objective the goal links that the CCO has archived since stays offered (`still_linked`), so the goal's
    other changes can be saved; it cannot be linked anew. One query, for every row of the form."""
    groups: dict[Period, list[tuple[int, str]]] = {}
    objectives = CustomerObjective.objects.filter(Q(active=True) | Q(pk__in=still_linked)).select_related("period")
    for objective in objectives.order_by("-period__start", "title", "pk"):
        groups.setdefault(objective.period, []).append((objective.pk, objective_label(objective)))
    ordered = sorted(groups.items(), key=lambda group: group[0] != first)  # stable: newest first after `first`
    return [("", "---------"), *((str(period), options) for period, options in ordered)]


class CheckInForm(VersionedForm):
    """A new reading (`at` left empty: now) or, with `check_in`, the correction of one (its time required).

    A new reading's form carries a one-time `submission` token, new each time it is shown, which the service records
    once (goals.services.check_in_create): the same page submitted again, after Back too, records nothing more."""

    def __init__(self, *args, check_in: CheckIn | None = None, **kwargs):
        super().__init__(*args, versioned=check_in, **kwargs)
        if check_in is None:
            self.fields["submission"] = forms.UUIDField(
                widget=forms.HiddenInput(attrs={"data-once": ""}),  # kept on Back by static/js/app.js
                required=False,
                initial=uuid4,
                label="Form",
                error_messages={"invalid": "This page's form is damaged; open the check-in page again."},
            )
        _model_fields(CheckIn, CHECK_IN_FIELDS, self)
        self.fields["value"].label = "New value" if check_in is None else "Value"
        self.fields["confidence"].widget = forms.RadioSelect(choices=self.fields["confidence"].choices)
        self.fields["comment"].widget.attrs.update(rows=3)
        at = self.fields["at"]
        at.label, at.required = "Read at", check_in is not None
        at.initial, at.show_hidden_initial = None, False  # not the model's default (now, as the page was drawn)
        at.widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")
        at.help_text = "When the value was read, in the goal's period" + ("." if check_in else "; empty: now.")

    @classmethod
    def initial_for(cls, check_in: CheckIn) -> dict:
        return {name: plain_number(getattr(check_in, name)) for name in CHECK_IN_FIELDS}

    def corrections(self) -> dict:
        """The values the person changed (a time shown to the second, unchanged, leaves the stored one alone)."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.changed_data}


class LeverForm(VersionedForm):
    """Manager among the department's heads, goal among its active goals of the current period (an existing lever
    keeps the ones it has; CompensationLever.clean checks a new choice)."""

    def __init__(self, *args, department: Department, lever: CompensationLever | None = None, **kwargs):
        super().__init__(*args, versioned=lever, **kwargs)
        _model_fields(CompensationLever, LEVER_FIELDS, self)
        keep_manager = Q(pk=lever.manager_id) if lever else Q(pk__in=[])
        keep_goal = Q(pk=lever.goal_id) if lever else Q(pk__in=[])
        self.fields["manager"].queryset = (
            get_user_model().objects.filter(Q(headed_departments=department) | keep_manager).distinct()
        )
        self.fields["manager"].label_from_instance = person
        self.fields["goal"].queryset = (
            Goal.objects.filter(department=department)
            .filter(Q(status=GoalStatus.ACTIVE, period__is_current=True) | keep_goal)
            .select_related("period")
            .order_by("-period__start", "-weight", "title")
        )
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.title} ({goal.period})"
        self.fields["goal"].help_text = "An active goal of the current period."
        self.fields["share"].widget.attrs.update(step="0.01", min="0.01", max="100")


class CopyGoalsForm(forms.Form):
    period = forms.ModelChoiceField(
        queryset=Period.objects.order_by("start"),
        label="Copy the goals of",
        help_text="Goals that are not archived are copied, with their links, into the period that follows.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("period", current_period())


class GoalImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma-separated, with a header row (see the format).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file is larger than 1 MB; split it into smaller files.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.") from exc


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _model_fields(CustomerObjective, BINDING_FIELDS, self)  # the model's own fields: goals imports no mandates

    @classmethod
    def initial_from(cls, objective) -> dict:
        """The objective's values, its numbers as typed (82, not the stored 82.0000), as the goal form shows them."""
        return {name: plain_number(getattr(objective, name)) for name in (*cls.base_fields, *BINDING_FIELDS)}
