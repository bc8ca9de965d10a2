from django.contrib import admin

from gendan.deals.models import Deal, Pipeline, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ("order", "name", "name_zh", "kind", "probability", "required_fields", "max_days")


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "is_default", "is_active")
    inlines = [StageInline]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ("name", "customer", "stage", "status", "amount", "owner", "updated_at")
    list_filter = ("status", "pipeline", "risk_level")
    list_select_related = ("customer", "stage", "owner")
    search_fields = ("name", "customer__name")
    raw_id_fields = ("customer", "contact", "lead", "owner")
    readonly_fields = ("status", "stage", "stage_entered_at", "closed_at", "version")
