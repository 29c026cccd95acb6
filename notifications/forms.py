"""The profile form: it parses input only; notifications.services.profile_update validates and saves."""

from __future__ import annotations

from django import forms

from .models import NotificationPreference


class ProfileForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="Where reminders and digests are sent. Without one, nothing is sent to you.",
    )

    def __init__(self, *args, choices: list[str], **kwargs):
        """`choices`: the preference fields relevant to the person's roles; only those are shown."""
        super().__init__(*args, **kwargs)
        for name in choices:
            model_field = NotificationPreference._meta.get_field(name)
            self.fields[name] = forms.BooleanField(
                label=model_field.verbose_name.capitalize(), help_text=model_field.help_text, required=False
            )
