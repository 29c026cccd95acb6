"""Departments, their heads, and their reporting lines to the CCO's office."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cco.constraints import ConstraintsAfterClean
from cco.fields import SHORT_TEXT, bounded_text


class Function(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SERVICE = "service", "Customer service & technical support"
    PRODUCT = "product", "Product development"
    RESEARCH = "research", "Market research"
    EXECUTIVE = "executive", "Executive office (CEO)"
    OTHER = "other", "Other"


FUNCTION_PURPOSE = {
    Function.MARKETING: "understand and meet customer needs and wants",
    Function.SALES: "sell customers what they are willing to buy",
    Function.SERVICE: "address customer inquiries and problems",
    Function.PRODUCT: "build new products that customers want",
    Function.RESEARCH: "identify customer needs and wants",
    Function.EXECUTIVE: "build an organisation centred on customers",
    Function.OTHER: "",
}


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    function = models.CharField(max_length=20, choices=Function.choices, default=Function.OTHER)
    customer_facing = models.BooleanField(default=True)
    heads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="headed_departments")
    description = bounded_text(SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[heads])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name is not None:
            self.name = self.name.strip()
            if not self.name:
                raise ValidationError({"name": "A department needs a name."})

    @property
    def purpose(self) -> str:
        return FUNCTION_PURPOSE.get(self.function, "")


class LineKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    DOTTED = "dotted", "Dotted line"


class ReportingLine(ConstraintsAfterClean, models.Model):
    """A line from a department up to the CCO's office (target empty) or to another department.

    The authority flags say what the CCO can do through this line: a dotted line with no say over goals
    or pay is the powerless CCO the product exists to expose.
    """

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="lines")
    target = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incoming_lines",
        help_text="Leave empty for a line to the CCO's office.",
    )
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.DIRECT)
    sets_goals = models.BooleanField("CCO sets or approves goals", default=False)
    signs_off_compensation = models.BooleanField("CCO signs off compensation", default=False)
    can_veto = models.BooleanField("CCO can veto", default=False)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["department__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(kind="direct"),
                name="one_direct_line_per_department",
                violation_error_message="This department already has a direct line; make this one dotted or change "
                "that one.",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(target__isnull=True),
                name="one_line_to_cco_per_department",
                violation_error_message="This department already has a line to the CCO's office.",
            ),
            models.UniqueConstraint(
                fields=["department", "target"],
                name="one_line_per_department_pair",
                violation_error_message="This department already has a line to that department.",
            ),
            models.CheckConstraint(
                condition=~Q(target=models.F("department")),
                name="line_not_to_itself",
                violation_error_message="A department cannot report to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.target_name} ({self.get_kind_display().lower()})"

    @property
    def target_name(self) -> str:
        return self.target.name if self.target_id else "CCO's office"

    @property
    def to_cco(self) -> bool:
        return self.target_id is None

    def clean(self) -> None:
        if not self.department_id:
            return
        if self.target_id and self.target_id == self.department_id:
            raise ValidationError({"target": "A department cannot report to itself."})
        others = ReportingLine.objects.filter(department_id=self.department_id).exclude(pk=self.pk)
        if self.kind == LineKind.DIRECT and others.filter(kind=LineKind.DIRECT).exists():
            raise ValidationError(
                {"kind": f"{self.department} already has a direct line; make this one dotted or change that one."}
            )
        if others.filter(target_id=self.target_id).exists():
            raise ValidationError({"target": f"{self.department} already has a line to {self.target_name}."})
        if self.target_id:
            cycle = find_cycle(self.department_id, self.target_id, exclude_line_id=self.pk)
            if cycle:
                names = dict(Department.objects.filter(pk__in=cycle).values_list("pk", "name"))
                path = " → ".join(names[pk] for pk in cycle)
                raise ValidationError({"target": f"This line would close a cycle: {path}."})


def find_cycle(department_id: int, target_id: int, *, exclude_line_id: int | None = None) -> list[int]:
    """The department ids of the cycle a new line department → target would close, or [] if none.

    Reads all department-to-department edges in one query and walks them in memory.
    """
    edges: dict[int, list[int]] = {}
    rows = ReportingLine.objects.filter(target__isnull=False).exclude(pk=exclude_line_id)
    for source, target in rows.values_list("department_id", "target_id"):
        edges.setdefault(source, []).append(target)
    stack: list[tuple[int, list[int]]] = [(target_id, [department_id, target_id])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == department_id:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in edges.get(node, []):
            stack.append((nxt, [*path, nxt]))
    return []
