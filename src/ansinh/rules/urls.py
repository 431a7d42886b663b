"""Web pages of the rules app: the legal figures in force on a day."""

from django.urls import path

from ansinh.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.params, name="params"),
]
