"""Users, teams (a tree with a manager), roles with a data scope, API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel
from gendan.org.choices import (
    AuditKind,
    AuditVia,
    DuplicateAction,
    DuplicateField,
    DuplicateRecord,
    RoleCode,
    Scope,
)


class Role(TimeStampedModel):
    code = models.CharField(max_length=16, choices=RoleCode.choices, unique=True)
    name = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=64, blank=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.OWN)
    # Whether members may export lists (CSV / XLSX): a setting, changed by an administrator.
    may_export = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    manager = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # How many open leads the user may hold (pool claims and automatic assignment respect it);
    # empty means the organisation's default (settings.GENDAN_MAX_OPEN_LEADS).
    max_open_leads = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["team", "is_active"])]

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_code(self) -> str | None:
        if self.is_superuser:
            return RoleCode.ADMIN
        return self.role.code if self.role_id else None

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role_code == RoleCode.ADMIN

    @property
    def created_at(self):
        return self.date_joined


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class IdempotentRequest(models.Model):
    """The answer to a POST sent with an `Idempotency-Key`, kept for a day (org/idempotency.py).

    The row is written in the same transaction as the request's own work, so it exists exactly
    when that work was committed; a repeat of the key finds it and gets the same answer.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the body: the same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="org_idempotent_request_user_key")
        ]


class DuplicateRule(models.Model):
    """What a duplicate (查重) on one field of one record type does: nothing, a warning before
    saving, or a refusal. A pair without a row warns (org/duplicates.py)."""

    record_type = models.CharField(max_length=16, choices=DuplicateRecord.choices)
    field = models.CharField(max_length=16, choices=DuplicateField.choices)
    action = models.CharField(
        max_length=8, choices=DuplicateAction.choices, default=DuplicateAction.WARN
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "field"], name="org_duplicate_rule_record_field"
            )
        ]


class AuditEntry(models.Model):
    """One act the administrators' audit log keeps: a sign-in (or a failed one, a lock-out),
    an API token issued, an export, a change of a role, of a user's role or team, a user
    created or deactivated. Written by the services (org/audit.py), never changed after."""

    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    # Who acted (None: nobody signed in, such as a failed sign-in, or the system).
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name typed at a sign-in, or the actor's at the time.
    username = models.CharField(max_length=150, blank=True)
    # The user the act was about (the one created, changed or deactivated).
    target_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=8, choices=AuditVia.choices, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"]),
            models.Index(fields=["kind", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.username}"
