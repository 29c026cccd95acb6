"""Form pages' shared flow: call the service, show its ValidationError next to the fields, or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect

from .versions import STALE_CODE, nothing_changed, unchanged, version_of


class VersionedForm(forms.Form):
    """A form that edits an object two people may edit at once: it carries the version it was read at (the API's
    ETag), which the service checks, so a save made from a stale page is refused instead of overwriting."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned = versioned
        self.read_version = ""
        if versioned is not None and not self.is_bound:
            self.initial["version"] = version_of(versioned)

    def clean(self):
        """The version is not one of the object's values: it leaves cleaned_data for `read_version`."""
        cleaned = super().clean()
        self.read_version = cleaned.pop("version", "") or ""
        return cleaned

    def refresh_version(self) -> None:
        """After a stale refusal: the page now shows the person what changed, so their next save is informed."""
        current = type(self.versioned).objects.get(pk=self.versioned.pk)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = version_of(current)


def show_service_errors(form: forms.BaseForm, error: ValidationError, *, elsewhere: list[str] | None = None) -> None:
    """Put each message next to the field it names.

    Messages about `links` go to `elsewhere` when the page shows links outside the form; messages about any
    other field the form does not have go above the form, prefixed with the field's name.
    """
    if isinstance(form, VersionedForm) and form.versioned is not None and is_stale(error):
        form.refresh_version()
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, said in error.message_dict.items():
        texts = list(dict.fromkeys(said))  # a model's field check and its clean() may say the same thing: say it once
        if name in form.fields:
            form.add_error(name, texts)
        elif name == "links" and elsewhere is not None:
            elsewhere.extend(texts)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, texts)
        else:
            label = name.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {text}" for text in texts])


def is_stale(error: ValidationError) -> bool:
    """Whether the service refused a save made from a stale read (cco.versions)."""
    errors = error.error_dict.get(NON_FIELD_ERRORS, []) if hasattr(error, "error_dict") else error.error_list
    return any(getattr(item, "code", None) == STALE_CODE for item in errors)


def submit(request, form: forms.BaseForm, write: Callable[[dict], Any], *, success, redirect_to: str):
    """The form pages' one flow: on a valid POST run `write(cleaned_data)` (a service call), then redirect with
    `success` (a message, or a function of what `write` returned), or "Nothing changed" when a versioned form's
    object is still at the version it was read at; a ValidationError goes onto the form and None is returned so the
    page renders again with it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    if _wrote_nothing(form, result):
        messages.info(request, nothing_changed(result))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)


def _wrote_nothing(form: forms.BaseForm, result) -> bool:
    """Whether the object a versioned form edits came back at the version the form was read at (a decision on it
    is another object, and says what it decided)."""
    versioned = getattr(form, "versioned", None)
    return versioned is not None and type(result) is type(versioned) and unchanged(form.read_version, result)
