from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.org import audit
from gendan.org.choices import AuditKind
from gendan.org.models import ApiToken, Role, Team, User
from gendan.org.people import people_changed

# What the audit log keeps of a change made here (the services keep the rest themselves).
USER_AUDITED = (
    "role",
    "team",
    "is_active",
    "is_superuser",
    "is_staff",
    "groups",
    "user_permissions",
)
ROLE_AUDITED = ("scope", "may_export")


def _audit_user(request, user, form, change: bool) -> None:
    if not change:
        audit.audit_record(
            kind=AuditKind.USER_CREATED, actor=request.user, request=request, target_user=user
        )
        return
    changed = [name for name in form.changed_data if name in USER_AUDITED]
    if "is_active" in changed:
        kind = AuditKind.USER_REACTIVATED if user.is_active else AuditKind.USER_DEACTIVATED
        audit.audit_record(kind=kind, actor=request.user, request=request, target_user=user)
        changed.remove("is_active")
    if changed:
        audit.audit_record(
            kind=AuditKind.USER_CHANGED,
            actor=request.user,
            request=request,
            target_user=user,
            data={"fields": changed},
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active", "is_superuser")
    list_select_related = ("role", "team")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Gendan", {"fields": ("display_name", "phone", "role", "team")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit_user(request, obj, form, change)
        people_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        people_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        people_changed()


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "manager")
    list_select_related = ("parent", "manager")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        people_changed()


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh", "scope", "may_export")
    list_editable = ("scope", "may_export")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name in ROLE_AUDITED]
        if changed:
            audit.audit_record(
                kind=AuditKind.ROLE_CHANGED,
                actor=request.user,
                request=request,
                data={"role": obj.code, "fields": changed},
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
