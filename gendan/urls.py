from django.contrib import admin
from django.http import JsonResponse
from django.urls import path, re_path
from django.views.generic import RedirectView

from gendan.api import api


def api_not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
]
