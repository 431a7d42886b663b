from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "ansinh.coverage"
    label = "coverage"
    verbose_name = "Bao phủ"
