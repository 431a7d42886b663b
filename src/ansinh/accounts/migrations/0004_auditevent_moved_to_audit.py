# The audit log is now `ansinh.audit` (audit.0001 took over the model with its table): forget it here
# without touching the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_totp_second_factor'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEvent')],
            database_operations=[],
        ),
    ]
