from django.urls import path

from gendan.web.duplicates import views

app_name = "duplicates"

urlpatterns = [
    path("", views.duplicate_list, name="list"),
    path("rules/", views.duplicate_rules, name="rules"),
]
