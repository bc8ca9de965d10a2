from django.urls import path

from gendan.sales import views

app_name = "sales"

urlpatterns = [
    path("quotes/<int:quote_id>/print/", views.quote_print, name="quote_print"),
]
