from django.contrib import admin
from django.urls import include, path

from gendan.api import api
from gendan.sales import urls as sales_urls

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gendan.sales.urls")),
    path("leads/", include("gendan.leads.urls")),
    path("customers/", include("gendan.customers.urls")),
    path("contacts/", include("gendan.customers.contact_urls")),
    path("deals/", include("gendan.deals.urls")),
    path("tasks/", include("gendan.activities.urls")),
    path("notifications/", include("gendan.activities.notification_urls")),
    path("contracts/", include(sales_urls.contract_urls)),
    path("payments/", include(sales_urls.payment_urls)),
    path("reports/", include("gendan.analytics.urls")),
    path("settings/", include("gendan.automation.urls")),
    path("", include("gendan.web.urls")),
]
