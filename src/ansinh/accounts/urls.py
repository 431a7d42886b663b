"""Log in and out with Django's own views; the template and the throttled form are ours."""

from django.contrib.auth import views as auth_views
from django.urls import path

from ansinh.accounts import views
from ansinh.accounts.security import LoginForm

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True, authentication_form=LoginForm
    ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit"),
]
