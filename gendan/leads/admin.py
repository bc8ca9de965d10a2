from django.contrib import admin

from gendan.leads.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "status", "source", "owner", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("owner",)
    search_fields = ("name", "company", "phone", "email")
    raw_id_fields = ("owner", "customer", "contact", "deal")
    readonly_fields = ("phone_key", "email_key", "company_key")  # the services set them
