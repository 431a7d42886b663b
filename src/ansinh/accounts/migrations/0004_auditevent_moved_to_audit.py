# The audit log is now `ansinh.audit` (audit.0001 took over the model with its table): forget it here
# without touching the table. And the user manager gained `system()` (the operator's audited account).

import ansinh.accounts.models
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
        migrations.AlterModelManagers(name='user', managers=[('objects', ansinh.accounts.models.UserManager())]),
    ]
