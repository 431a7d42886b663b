"""`Parameter` now belongs to the rules app (same table, `employers_parameter`): state only, no data moves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("employers", "0001_initial"), ("rules", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[migrations.DeleteModel(name="Parameter")]),
    ]
