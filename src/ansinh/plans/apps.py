from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ansinh.plans"
    label = "plans"
    verbose_name = "Đọc văn bản kế hoạch"
