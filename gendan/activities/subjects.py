"""The records that follow-ups, tasks, comments, attachments and timeline events are about.

Each such row has one nullable foreign key per kind of subject and a check that exactly the
one named by `subject_type` is set (STYLE.md: nullable FKs with a CheckConstraint rather than
a generic relation). Adding a kind of subject means adding it here and a migration.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q

SUBJECT_TARGETS = {
    "lead": "leads.Lead",
    "customer": "customers.Customer",
    "deal": "deals.Deal",
    "contract": "sales.Contract",
}
SUBJECT_KINDS = tuple(SUBJECT_TARGETS)
SUBJECT_FIELDS = {kind: f"{kind}_id" for kind in SUBJECT_KINDS}
# A row about a subject is reached through it (`ScopeSpec.via`).
SUBJECT_PATHS = tuple((SUBJECT_FIELDS[kind], SUBJECT_TARGETS[kind]) for kind in SUBJECT_KINDS)


def subject_model(kind: str):
    target = SUBJECT_TARGETS.get(kind)
    return apps.get_model(target) if target else None


def subject_fks(related_name: str) -> tuple[models.ForeignKey, ...]:
    """One nullable foreign key per kind, in SUBJECT_KINDS order."""
    return tuple(
        models.ForeignKey(
            target, null=True, blank=True, on_delete=models.CASCADE, related_name=related_name
        )
        for target in SUBJECT_TARGETS.values()
    )


def one_subject_constraint(name: str, *, optional: bool = False) -> models.CheckConstraint:
    condition = Q()
    for kind in SUBJECT_KINDS:
        condition |= Q(
            subject_type=kind,
            **{f"{other}__isnull": other != kind for other in SUBJECT_KINDS},
        )
    if optional:
        condition |= Q(subject_type="", **{f"{kind}__isnull": True for kind in SUBJECT_KINDS})
    return models.CheckConstraint(condition=condition, name=name)


class SubjectMixin:
    @property
    def subject_id(self) -> int | None:
        return getattr(self, SUBJECT_FIELDS[self.subject_type], None) if self.subject_type else None

    @property
    def subject(self):
        return getattr(self, self.subject_type) if self.subject_type else None
