"""Admin edits change scoring inputs too; this mixin rescores after they commit, like the services do."""

from __future__ import annotations

from goals.recompute import schedule_recompute


class RescoreOnChangeAdmin:
    """Schedule a recompute for the changed object's department once the admin's transaction commits."""

    def _department_id(self, obj) -> int | None:
        if obj.__class__.__name__ == "Department":
            return obj.pk
        return getattr(obj, "department_id", None)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule_recompute(department_id=self._department_id(obj))

    def delete_model(self, request, obj):
        department_id = self._department_id(obj)
        super().delete_model(request, obj)
        schedule_recompute(department_id=department_id)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        schedule_recompute(department_id=self._department_id(form.instance))
