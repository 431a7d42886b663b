from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "ansinh.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu"
