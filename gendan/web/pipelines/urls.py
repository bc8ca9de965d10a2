from django.urls import path

from gendan.web.pipelines import views

app_name = "pipeline_settings"

urlpatterns = [
    path("", views.pipeline_settings, name="list"),
    path("stages/<int:stage_id>/edit/", views.stage_edit, name="stage_edit"),
]
