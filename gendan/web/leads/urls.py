from django.urls import path

from gendan.web import history
from gendan.web.leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("export/", views.lead_export, name="export"),
    path("<int:lead_id>/", views.lead_detail, name="detail"),
    path("<int:lead_id>/edit/", views.lead_edit, name="edit"),
    path("<int:lead_id>/history/", history.lead_history, name="history"),
    path("<int:lead_id>/convert/", views.lead_convert, name="convert"),
    path("<int:lead_id>/disqualify/", views.lead_disqualify, name="disqualify"),
    path("<int:lead_id>/claim/", views.lead_claim, name="claim"),
    path("<int:lead_id>/release/", views.lead_release, name="release"),
]
