from django.urls import path

from gendan.web.analytics import views

app_name = "reports"

urlpatterns = [
    path("", views.manager_dashboard, name="dashboard"),
    path("me/", views.rep_dashboard, name="mine"),
    path("weekly/", views.weekly_page, name="weekly"),
    path("weekly.pdf", views.weekly_pdf_download, name="weekly_pdf"),
]
