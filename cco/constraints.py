"""A refusal is said once: the model's clean() says it in words for people, and the database constraint behind
it (its `violation_error_message` a sentence too) is checked only when nothing else was refused.

Django's full_clean() checks the constraints after clean(), on every field clean() did not name; a rule both
clean() and a constraint hold would otherwise be refused twice, once as the constraint. Mixed in before
models.Model by every model that declares constraints.
"""

from __future__ import annotations


class ConstraintsAfterClean:
    """full_clean(): the fields, clean() and the unique fields first; the constraints only when those passed."""

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True) -> None:
        super().full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
        if validate_constraints:
            self.validate_constraints(exclude=exclude)
