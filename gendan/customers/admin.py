from django.contrib import admin

from gendan.customers.models import Contact, Customer


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "title", "phone", "email", "is_primary")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "region", "status", "owner", "created_at")
    list_filter = ("status", "industry")
    list_select_related = ("owner",)
    search_fields = ("name",)
    raw_id_fields = ("owner",)
    readonly_fields = ("name_key",)  # the services set it
    inlines = [ContactInline]
