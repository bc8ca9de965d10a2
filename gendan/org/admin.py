from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.org.models import ApiToken, Role, Team, User
from gendan.org.people import people_changed


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
    list_display = ("code", "name", "name_zh", "scope")
    list_editable = ("scope",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
