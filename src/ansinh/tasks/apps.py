from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "ansinh.tasks"
    label = "tasks"
    verbose_name = "Nhiệm vụ theo kế hoạch"
