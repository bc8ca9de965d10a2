from django.urls import path

from gendan.web.fields import layout_views, views

app_name = "custom_fields"

urlpatterns = [
    path("", views.field_list, name="list"),
    path("new/", views.field_create, name="create"),
    path("layout/", layout_views.layout_edit, name="layout"),
    path("conversion/", views.mapping_list, name="mappings"),
    path("conversion/<int:mapping_id>/delete/", views.mapping_delete, name="mapping_delete"),
    path("<int:field_id>/edit/", views.field_edit, name="edit"),
    path("<int:field_id>/archive/", views.field_archive, name="archive"),
    path("<int:field_id>/delete/", views.field_delete, name="delete"),
]
