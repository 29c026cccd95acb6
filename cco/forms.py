"""Form pages' shared flow: call the service, show its ValidationError next to the fields, or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect


def show_service_errors(form: forms.BaseForm, error: ValidationError, *, elsewhere: list[str] | None = None) -> None:
    """Put each message next to the field it names.

    Messages about `links` go to `elsewhere` when the page shows links outside the form; messages about any
    other field the form does not have go above the form, prefixed with the field's name.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, texts)
        elif name == "links" and elsewhere is not None:
            elsewhere.extend(texts)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, texts)
        else:
            label = name.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {text}" for text in texts])


def submit(request, form: forms.BaseForm, write: Callable[[dict], Any], *, success, redirect_to: str):
    """The form pages' one flow: on a valid POST run `write(cleaned_data)` (a service call), then redirect with
    `success` (a message, or a function of what `write` returned); a ValidationError goes onto the form and
    None is returned so the page renders again with it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)
