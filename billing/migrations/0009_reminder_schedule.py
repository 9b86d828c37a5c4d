"""The default reminder schedule 催缴 (PROCEDURES.md "Arrears"): 3 days before the due date, on
it, and 7, 15 and 30 days after it. Finance edits it in the admin afterwards."""

from django.db import migrations

# (days from the due date, name, channels)
DEFAULT_STEPS = (
    (-3, "到期前提醒", ["inapp", "email"]),
    (0, "到期日提醒", ["inapp", "email", "sms"]),
    (7, "逾期7天催缴", ["inapp", "email", "sms"]),
    (15, "逾期15天催缴", ["inapp", "email", "sms", "print"]),
    (30, "逾期30天催缴", ["inapp", "email", "sms", "print"]),
)


def seed(apps, schema_editor):
    ReminderStep = apps.get_model("billing", "ReminderStep")
    for offset, name, channels in DEFAULT_STEPS:
        ReminderStep.objects.get_or_create(offset_days=offset, defaults={"name": name, "channels": channels})


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_arrears")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
