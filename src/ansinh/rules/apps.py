from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "ansinh.rules"
    label = "rules"
    verbose_name = "Tham số pháp lý"

    def ready(self) -> None:
        """Read and check the shipped rules at start: a broken data file stops the product here."""
        from ansinh.rules.registry import shipped

        shipped()
