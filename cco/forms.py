"""Showing a service's ValidationError on a form: the one helper every page's view uses."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def show_service_errors(form: forms.BaseForm, error: ValidationError, *, elsewhere: list[str] | None = None) -> None:
    """Put each message next to the field it names.

    Messages about `links` go to `elsewhere` when the page shows links outside the form; messages about any
    other field the form does not have go above the form, prefixed with the field's name.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages)
        elif name == "links" and elsewhere is not None:
            elsewhere.extend(messages)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, messages)
        else:
            label = name.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {message}" for message in messages])
