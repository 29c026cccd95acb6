"""Every form of the project shows text limits instead of enforcing them silently (FORM_RENDERER).

A browser given `maxlength` cuts a longer paste without a word: a 10,000-character paste became its first 200
characters and the rest was lost. Here the limit is said in the field's help text ("At most 200 characters.",
which aria-describedby reads out), the input carries it as `data-limit` (static/js/limits.js counts as you type),
and the server refuses a longer value with a field error, keeping everything typed.
"""

from __future__ import annotations

import copy

from django import forms
from django.forms.renderers import DjangoTemplates


def _limit_of(field: forms.Field) -> int | None:
    return field.max_length if isinstance(field, forms.CharField) and field.max_length else None


class LimitShownBoundField(forms.BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        limit = _limit_of(field)
        if limit is not None:
            note = f"At most {limit:,} characters."
            self.help_text = f"{self.help_text} {note}" if self.help_text else note

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        limit = widget.attrs.get("maxlength")
        if limit is not None:
            widget = copy.copy(widget)
            widget.attrs = {key: value for key, value in widget.attrs.items() if key != "maxlength"}
            attrs = {**(attrs or {}), "data-limit": limit}
        return super().as_widget(widget, attrs, only_initial)


class Renderer(DjangoTemplates):
    bound_field_class = LimitShownBoundField
