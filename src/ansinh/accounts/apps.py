from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ansinh.accounts"
    label = "accounts"
    verbose_name = "Người dùng"

    def ready(self) -> None:
        from ansinh.accounts import security  # noqa: F401 - connects the log-in audit and throttling signals
