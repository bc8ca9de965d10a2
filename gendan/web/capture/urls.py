from django.urls import path

from gendan.web.capture import public, views

app_name = "lead_forms"

urlpatterns = [
    path("", views.form_list, name="list"),
    path("new/", views.form_create, name="create"),
    path("<int:form_id>/edit/", views.form_edit, name="edit"),
    path("<int:form_id>/archive/", views.form_archive, name="archive"),
    path("<int:form_id>/regenerate/", views.form_regenerate, name="regenerate"),
]

# The public page, outside the app's namespace of settings: /f/<token>/.
public_urlpatterns = (
    [path("<str:token>/", public.public_form, name="form")],
    "capture_public",
)
