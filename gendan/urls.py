from django.contrib import admin
from django.urls import include, path

from gendan.api.root import api
from gendan.web.capture import urls as capture_urls
from gendan.web.sales import urls as sales_urls

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gendan.web.sales.urls")),
    path("leads/", include("gendan.web.leads.urls")),
    path("customers/", include("gendan.web.customers.urls")),
    path("contacts/", include("gendan.web.customers.contact_urls")),
    path("deals/", include("gendan.web.deals.urls")),
    path("tasks/", include("gendan.web.activities.urls")),
    path("notifications/", include("gendan.web.activities.notification_urls")),
    path("contracts/", include(sales_urls.contract_urls)),
    path("payments/", include(sales_urls.payment_urls)),
    path("reports/", include("gendan.web.analytics.urls")),
    path("settings/fields/", include("gendan.web.fields.urls")),
    path("settings/pipelines/", include("gendan.web.pipelines.urls")),
    path("settings/lead-forms/", include("gendan.web.capture.urls")),
    path("settings/duplicates/", include("gendan.web.duplicates.urls")),
    path("f/", include(capture_urls.public_urlpatterns)),
    path("settings/", include("gendan.web.automation.urls")),
    path("", include("gendan.web.urls")),
]
