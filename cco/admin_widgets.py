"""The admin's search pickers (autocomplete_fields), valid and named for assistive technology.

Django's AutocompleteSelect renders a required field with nothing chosen as a <select> with no <option> at all, and
an optional one with an empty <option> without text, neither of which HTML allows (the Nu HTML Checker), and select2
leaves its combobox without a name until something is chosen (static/js/admin-autocomplete-a11y.js names it by the
field's label). cco.admin_mixins.ServiceAdmin puts these widgets in place of Django's for every autocomplete
field.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

NAMED = forms.Media(js=["js/admin-autocomplete-a11y.js"])


class SearchedSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        empty_label = self.choices.field.empty_label or "---------"
        options = groups[0][1]
        if self.is_required and not any(option["value"] != "" for _, group, _ in groups for option in group):
            options.insert(0, self.create_option(name, "", empty_label, False, 0))  # HTML asks a required one for it
        for option in options:
            if option["value"] == "" and not option["label"]:
                option["label"] = empty_label  # an empty <option> needs text (worded as Django's other selects)
        return groups

    @property
    def media(self):
        return super().media + NAMED


class SearchedSelectMultiple(AutocompleteSelectMultiple):
    @property
    def media(self):
        return super().media + NAMED
