from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "ansinh.employers"
    label = "employers"
    verbose_name = "Đơn vị sử dụng lao động"
