"""The officers' `Parameter` rows move here from the employers app: state only, the table stays."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    # The table is created by employers/0001 (fresh databases) or already exists (older ones).
    dependencies = [("employers", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Parameter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=60)),
                        ("valid_from", models.DateField()),
                        ("value", models.DecimalField(decimal_places=6, max_digits=18)),
                        ("basis", models.CharField(help_text="Legal basis: law, decree, article.", max_length=300)),
                        ("set_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "employers_parameter",
                        "ordering": ["code", "valid_from"],
                        "constraints": [models.UniqueConstraint(fields=("code", "valid_from"), name="parameter_code_from")],
                    },
                ),
            ],
        ),
    ]
