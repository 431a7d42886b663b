"""The figures stamp and the triggers that move it (see `FiguresStamp` and `ansinh.targets.cache`).

SQLite has only row triggers, so each of insert, update and delete gets one per table; PostgreSQL gets one
statement trigger per table, which also covers TRUNCATE. SQLite loses a table's triggers when a migration
rebuilds the table: the dashboard cache then stops reusing results and logs why, and the test suite fails
until a migration creates them again with `create_triggers`.
"""

import secrets

from django.db import migrations, models

from ansinh.targets.cache import create_triggers, drop_triggers


def _forwards(apps, schema_editor) -> None:
    apps.get_model("targets", "FiguresStamp").objects.create(pk=1, token=secrets.token_hex(16))
    create_triggers(schema_editor.connection)


def _backwards(apps, schema_editor) -> None:
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("targets", "0002_target_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(_forwards, _backwards),
    ]
