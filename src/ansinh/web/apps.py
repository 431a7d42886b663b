from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web door's shared helpers; an app only so Django finds its template tags (`{% load vn %}`)."""

    name = "ansinh.web"
    label = "web"
    verbose_name = "Giao diện web"
