"""The one error summary every form page shows after a failed save (templates/partials/_error_summary.html).

`{% error_summary form links errors=link_errors errors_target=id title="The goal was not saved" level=3 %}` lists
every error of a form and of any formsets, each linked to the input it is about (`href="#id_…"`), with a count
("The goal was not saved: 2 problems"). The summary carries `data-error-summary` and `tabindex="-1"`:
static/js/error-summary.js moves focus to it and scrolls it into view, wherever on the page the form sits.

Errors that name no field (a stale version, a refusal) are listed without a link unless `nonfield_target` names
the input they are about (the login form's username); `errors` are errors shown outside the form's fields (the
goal form's links), linked to `errors_target`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    text: str
    target: str = ""  # the id of the input to go to; "" when the error is about no one input


def input_id(field: forms.BoundField) -> str:
    """The id of the input a person should land on: the field's own input, or the first of its radios or boxes."""
    if field.id_for_label:
        return field.id_for_label
    if not field.auto_id:
        return ""
    return field.field.widget.id_for_label(field.auto_id, "0") or field.auto_id


def form_problems(form: forms.BaseForm, *, prefix: str = "", nonfield_target: str = "") -> list[Problem]:
    """A form's errors in the order of its fields, its non-field errors first; hidden fields are never linked."""
    problems = [Problem(f"{prefix}{error}", nonfield_target) for error in form.non_field_errors()]
    targets = getattr(form, "error_targets", {})
    for field in form:
        for error in field.errors:
            label = field.label or field.name.replace("_", " ").capitalize()
            target = "" if field.is_hidden else targets.get(field.name) or input_id(field)
            problems.append(Problem(f"{prefix}{label}: {error}", target))
    return problems


def formset_problems(formset: forms.BaseFormSet, *, row: str) -> list[Problem]:
    """A formset's errors: those of the whole set (linked to its first row) and those of each row ("Link 2, …")."""
    if not formset.is_bound:
        return []
    first = next((input_id(field) for form in formset.forms for field in form.visible_fields()), "")
    problems = [Problem(str(error), first) for error in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        problems += form_problems(form, prefix=f"{row} {number}, ")
    return problems


@register.inclusion_tag("partials/_error_summary.html")
def error_summary(
    form=None,
    *formsets,
    errors=(),
    errors_target: str = "",
    nonfield_target: str = "",
    title: str = "This was not saved",
    row: str = "Row",
    level: int = 2,
):
    """The summary of `form`'s and `formsets`' errors (nothing when there are none)."""
    problems = []
    if form is not None and form.is_bound:
        problems += form_problems(form, nonfield_target=nonfield_target)
    for formset in formsets:
        problems += formset_problems(formset, row=row)
    problems += [Problem(str(error), errors_target) for error in errors or ()]
    return {"problems": problems, "title": title, "level": level if level in (2, 3, 4) else 2}
