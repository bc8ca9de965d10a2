from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.web import auth, bulk, views

app_name = "web"

urlpatterns = [
    path("", views.workbench_view, name="workbench"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", auth.logout_everywhere, name="logout_everywhere"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("search/", views.search, name="search"),
    path("follow-ups/new/", views.follow_up_dialog, name="follow_up_new"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("<str:kind>/bulk-assign/", bulk.bulk_assign, name="bulk_assign"),
]
