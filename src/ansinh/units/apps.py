from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Administrative units. The label stays "core", the app these models were born in, so the tables
    (`core_orgunit`, …), the migration history and every foreign key of databases made before the move keep
    their names; the code lives in `ansinh.units`, and `ansinh.core` is now the kernel (no models)."""

    name = "ansinh.units"
    label = "core"
    verbose_name = "Đơn vị hành chính"
