"""The Django admin writes domain objects only through the services, so it holds the rules every other path holds.

`ServiceAdmin` is mixed into a ModelAdmin (before `SimpleHistoryAdmin`). The admin class names the product rule
for each action (`rules`), the fields its service takes (`create_fields`, `change_fields`; every other field is
shown read-only), and implements `create`, `update` and `delete` by calling its service with `request.user` as the
actor. The service therefore asks the same rule (`cco.permissions`), validates (`full_clean`), records the admin
in the history and schedules the recompute, as it does for the web and the API.

How a save reaches the service: the admin's form calls it while it validates (`ServiceModelForm._post_clean`), so a
`ValidationError` becomes the form's errors, next to the fields it names, and the page is shown again with nothing
saved (the service's transaction is rolled back). A `PermissionDenied` is the admin's 403 page with the rule's
sentence. Should anything else on the page fail after the service saved (an inline's management data), the page is
shown again and `changeform_view` rolls back what the service saved.

`ViewOnlyAdmin` and `ViewOnlyInline` are for what is only ever written by a service elsewhere (decisions, links,
check-ins); no admin restores an old version from the history (that would write past the services).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import router, transaction

from .admin_widgets import SearchedSelect, SearchedSelectMultiple
from .forms import is_stale, show_service_errors
from .permissions import can
from .versions import nothing_changed, version_of

NOTHING_CHANGED = "_cco_nothing_changed"  # on the request: what to say after a change that wrote nothing
REVERT_REFUSAL = "Old versions are for reading; change the object itself, so that its rules apply."


class NoRevertAdmin:
    """The history shows old versions but never writes one back: a revert would bypass the services."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(REVERT_REFUSAL)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ViewOnlyAdmin(NoRevertAdmin):
    """Listed and shown, never added, changed or deleted in the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyInline:
    """Rows shown on their parent's page for reading; they are edited where their own service is called."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceModelForm(forms.ModelForm):
    """The admin form of a `ServiceAdmin`: validating it saves through the admin's service (see the module)."""

    service_admin: ServiceAdmin
    service_request: Any
    nothing_changed = False  # the service's update wrote nothing (its history has no new entry)

    def _post_clean(self) -> None:
        """Replaces ModelForm's model validation: the service validates, then saves, with the rules of every path."""
        if self._errors:
            return
        data = dict(self.cleaned_data)
        version = data.pop("version", None)
        try:
            if self.instance._state.adding:
                saved = self.service_admin.create(self.service_request, data)
            else:
                current = type(self.instance)._default_manager.get(pk=self.instance.pk)
                recorded = current.history.count()
                extra = {} if version is None else {"version": version}
                saved = self.service_admin.update(self.service_request, current, data, **extra)
                self.nothing_changed = saved.history.count() == recorded
        except ValidationError as error:
            if version is not None and is_stale(error):  # the page shows what changed: the next save is informed
                self.data = self.data.copy()
                self.data[self.add_prefix("version")] = version_of(type(self.instance)._default_manager.get(
                    pk=self.instance.pk))  # fmt: skip
            show_service_errors(self, error)
        else:
            self.instance = saved

    def save(self, commit: bool = True):
        """The service has saved it (relations included) while the form validated."""
        return self.instance


class VersionedServiceModelForm(ServiceModelForm):
    """For an object two people may edit at once: the change form carries the version it was read at (as the web
    forms and the API's ETag do), and the service refuses a save made from a page read before another save."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = version_of(self.instance)

    def save_m2m(self) -> None:
        """Relations are the service's too."""


class ServiceAdmin(NoRevertAdmin):
    """A ModelAdmin whose adds, changes and deletes are its service's (see the module)."""

    form = ServiceModelForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A foreign key in autocomplete_fields (picked by search: no list of every row at 2,000 departments) gets
        SearchedSelect, Django's picker made valid HTML and named for assistive technology."""
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SearchedSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SearchedSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    rules: Mapping[str, str] = {}  # action ("add", "change", "delete") → rule in cco.permissions; none: not offered
    create_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
    decision_fields: tuple[str, ...] = ()  # set by the CCO's decisions: read-only here whatever the service takes
    versioned = False  # the service's update takes `version=` (cco.versions): the change form carries it

    def create(self, request, data: dict[str, Any]):
        raise NotImplementedError

    def update(self, request, obj, data: dict[str, Any]):
        raise NotImplementedError

    def delete(self, request, obj) -> None:
        raise NotImplementedError

    def delete_refusal(self, obj) -> str | None:
        """Why the service would refuse to delete `obj` (shown on the confirmation page, which then deletes
        nothing), or None."""
        return None

    # --- who may: Django's model permission and the product's rule -----------------------------------

    def _rule_allows(self, request, action: str, obj=None) -> bool:
        rule = self.rules.get(action)
        return rule is not None and can(request.user, rule, obj)

    def has_add_permission(self, request) -> bool:
        return self._rule_allows(request, "add") and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._rule_allows(request, "change", obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._rule_allows(request, "delete", obj) and super().has_delete_permission(request, obj)

    # --- the form: the service's fields editable, every other field shown read-only ---------------------

    def get_fields(self, request, obj=None) -> list[str]:
        if self.fields:
            fields = list(self.fields)
        else:
            opts = self.model._meta
            fields = [field.name for field in [*opts.fields, *opts.many_to_many] if not field.primary_key]
        return [*fields, "version"] if self.versioned and obj is not None else fields

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        editable = set(self.change_fields if obj is not None else self.create_fields) - set(self.decision_fields)
        return [name for name in self.get_fields(request, obj) if name not in editable and name != "version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.versioned and obj is not None:
            kwargs.setdefault("form", VersionedServiceModelForm)
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"service_admin": self, "service_request": request})

    # --- saving and deleting: the service did or does it ----------------------------------------------

    def save_model(self, request, obj, form, change) -> None:
        """Saved by the service while the form validated; a change that wrote nothing is said so (message_user)."""
        if change and form.nothing_changed:
            setattr(request, NOTHING_CHANGED, nothing_changed(obj))

    def log_change(self, request, obj, message):
        """Nothing is logged for a change that wrote nothing, as nothing is added to the object's history."""
        if getattr(request, NOTHING_CHANGED, None) is None:
            return super().log_change(request, obj, message)
        return None

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        """After a change that wrote nothing, "Nothing changed" in place of Django's "was changed successfully"."""
        said = getattr(request, NOTHING_CHANGED, None)
        if said is not None and level == messages.SUCCESS:
            message, level = said, messages.INFO
        super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        """Relations are saved by the service; inlines of a ServiceAdmin are view-only (`ViewOnlyInline`)."""
        for formset in formsets:
            if formset.has_changed():
                raise ImproperlyConfigured(f"{type(self).__name__}'s inlines must be view-only: rows have services.")
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and "adminform" in (getattr(response, "context_data", None) or {}):
                transaction.set_rollback(True)  # the form is shown again: something was refused, nothing stays saved
        return response

    def get_deleted_objects(self, objs, request):
        """What a delete takes with it is the service's to decide (a goal's links and check-ins go with it on every
        path), not the view-only admins' of those rows; what the service would refuse is listed as protected, so
        the page deletes nothing (for one object or a selection)."""
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for refusal in map(self.delete_refusal, objs) if refusal]
        return deleted, counts, set(), [*protected, *refusals]

    def delete_model(self, request, obj) -> None:
        self.delete(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete(request, obj)
