"""The admins' reporting-line form: it parses input only; departments.services validates (cycles, one direct line)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from .models import Department, LineKind, ReportingLine
from .orgchart import DRAWING_LIMIT

# Up to this many departments the form offers them in a list; beyond it each is typed by its name (listed twice, every
# department made the form 230-285 KB at 2,000), found with the org chart's search.
PICK_FROM_LIST_LIMIT = DRAWING_LIMIT


def _label(name: str) -> str:
    words = str(ReportingLine._meta.get_field(name).verbose_name)
    return words[:1].upper() + words[1:]


class ReportingLineForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"), label="Department", empty_label="Choose a department"
    )
    target = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="CCO's office",
        label="Reports to",
        help_text="The CCO's office, or another department on the way to it.",
    )
    kind = forms.ChoiceField(choices=LineKind.choices, label="Kind of line")
    sets_goals = forms.BooleanField(required=False, label=_label("sets_goals"))
    signs_off_compensation = forms.BooleanField(required=False, label=_label("signs_off_compensation"))
    can_veto = forms.BooleanField(required=False, label=_label("can_veto"))
    note = forms.CharField(max_length=255, required=False)
    authority_reviewed = forms.BooleanField(
        required=False,
        label="I have checked what this line lets the CCO do",
        help_text="Needed when you change the kind of line: a direct line without authority only lets the CCO be "
        "consulted.",
    )

    def __init__(self, *args, line: ReportingLine | None = None, **kwargs):
        if line is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(line, name) for name in ("department", "target", "kind", *self.line_fields()[2:])},
            )
        super().__init__(*args, **kwargs)
        if Department.objects.count() > PICK_FROM_LIST_LIMIT:
            for name in ("department", "target"):
                _typed_by_name(self.fields[name])
        if line is not None:
            self.fields["department"].disabled = True
        else:
            del self.fields["authority_reviewed"]  # a new line's authority is answered in the same form

    @staticmethod
    def line_fields() -> tuple[str, ...]:
        return ("target", "kind", "sets_goals", "signs_off_compensation", "can_veto", "note")

    def line_data(self) -> dict:
        """What the service sets on the line (everything but the department it starts from)."""
        return {name: self.cleaned_data[name] for name in self.line_fields()}


class DepartmentNameInput(forms.TextInput):
    """A department's name, typed: as it is typed, htmx asks the server for up to 20 names containing it
    (`department-names`) and puts them in the input's <datalist>, which the browser offers to pick from."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = f"{context['widget']['attrs']['id']}-names"
        context["widget"]["attrs"].update(
            {
                "list": options,
                "hx-get": reverse("department-names"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        options = f"{(attrs or {}).get('id') or self.attrs.get('id') or f'id_{name}'}-names"
        return format_html('{}<datalist id="{}"></datalist>', field, options)


def _typed_by_name(field: forms.ModelChoiceField) -> None:
    """The department is typed by its exact name (names are unique) instead of chosen among every department; the
    names containing what is typed are suggested (DepartmentNameInput)."""
    field.to_field_name = "name"
    field.widget = DepartmentNameInput(attrs={"maxlength": 120, "autocomplete": "off", "spellcheck": "false"})
    field.error_messages = {**field.error_messages, "invalid_choice": "No department has this name: pick one of the "
                            "names suggested as you type, or search the org chart's table for it."}  # fmt: skip
    if not field.required:
        field.help_text = f"{field.help_text} Type part of the department's name and pick it, or leave it empty for "
        "the CCO's office."
    else:
        field.help_text = "Type part of the department's name and pick it from the names suggested."
