from django.urls import path

from gendan.web.activities import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_create, name="create"),
    path("export/", views.task_export, name="export"),
]
