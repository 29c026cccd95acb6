"""The profile page: every signed-in person sees who they are and chooses the emails they receive.

There is no id in the URL: a person only ever reads and changes their own profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cco import roles
from cco.forms import submit
from departments.models import Department

from . import services
from .forms import ProfileForm


@login_required
def profile(request):
    user = request.user
    preference = services.preference_for(user)
    choices = services.relevant_choices(user)
    initial = {"email": user.email} | {name: getattr(preference, name) for name in choices}
    form = ProfileForm(request.POST or None, initial=initial, choices=choices)
    response = submit(
        request, form,
        lambda data: services.profile_update(actor=user, user=user, email=data.pop("email"), choices=data),
        success="Your profile is saved.", redirect_to="profile",
    )  # fmt: skip
    if response:
        return response
    context = {
        "form": form,
        "role_names": sorted(roles.role_names(user)),
        "headed": Department.objects.filter(pk__in=roles.headed_department_ids(user)).order_by("name"),
        "has_email": bool(user.email),
    }
    return render(request, "notifications/profile.html", context)
