"""A goal's links to customer objectives as the web, the API and CSV import hand them to the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError

from cco.ids import plain_id

from .models import MAX_LINKS_PER_GOAL, CustomerObjective, LinkKind


@dataclass(frozen=True)
class LinkInput:
    objective: CustomerObjective
    kind: str = LinkKind.SUPPORTS
    strength: Decimal = Decimal(1)


def parse_links(rows: Iterable[Mapping[str, Any]]) -> list[LinkInput]:
    """Turn raw rows {objective, kind, strength} into LinkInputs, naming the row of any mistake.

    More than MAX_LINKS_PER_GOAL rows are refused before any of them is looked at.
    """
    rows = list(islice(rows, MAX_LINKS_PER_GOAL + 1))
    if len(rows) > MAX_LINKS_PER_GOAL:
        raise ValidationError({"links": [f"A goal can link at most {MAX_LINKS_PER_GOAL} customer objectives."]})
    links: list[LinkInput] = []
    errors: list[str] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        objective = row.get("objective")
        if plain_id(objective) is not None:
            objective = CustomerObjective.objects.filter(pk=plain_id(objective)).first()
        if not isinstance(objective, CustomerObjective):
            errors.append(f"Link {number}: choose a customer objective.")
            continue
        kind = row.get("kind") or LinkKind.SUPPORTS
        if kind not in LinkKind.values:
            errors.append(f"Link {number}: kind must be “supports” or “conflicts”.")
            continue
        try:
            strength = Decimal(str(row.get("strength", 1)))
        except (InvalidOperation, ValueError):
            errors.append(f"Link {number}: strength must be a number between 0 and 1.")
            continue
        if not strength.is_finite() or not Decimal(0) <= strength <= Decimal(1):
            errors.append(f"Link {number}: strength must be between 0 and 1.")
            continue
        if objective.pk in seen:
            errors.append(f"Link {number}: “{objective}” is linked twice.")
            continue
        seen.add(objective.pk)
        links.append(LinkInput(objective, kind, strength.quantize(Decimal("0.01"))))
    if errors:
        raise ValidationError({"links": errors})
    return links
