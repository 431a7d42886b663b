"""Log in (password, then a code for accounts with a second factor), log out, two-factor settings, audit."""

from django.contrib.auth import views as auth_views
from django.urls import path

from ansinh.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PasswordThenCodeLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("audit/", views.audit_log, name="audit"),
]
