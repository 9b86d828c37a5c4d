# Meeting rooms: the door QR code of each space, the check-in and no-show permissions, and the
# "meeting room fee" fee item the rooms bill by (the price itself comes from the room's rates).

from decimal import Decimal

from django.db import migrations, models

import venues.models

FEE = ("meeting_room_hour", "会议室使用费", "one_off", "0.00", "元/小时")


def load_fee(apps, schema_editor):
    FeeItem = apps.get_model("billing", "FeeItem")
    code, name, kind, price, unit = FEE
    FeeItem.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "price": Decimal(price), "unit_label": unit}
    )


def fill_door_codes(apps, schema_editor):
    Space = apps.get_model("venues", "Space")
    for space in Space.objects.filter(door_code__isnull=True):
        space.door_code = venues.models.new_code()
        space.save(update_fields=["door_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0016_utility_meters"),
        ("venues", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="space",
            name="door_code",
            field=models.CharField(editable=False, max_length=24, null=True, verbose_name="door QR code"),
        ),
        migrations.RunPython(fill_door_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="space",
            name="door_code",
            field=models.CharField(
                default=venues.models.new_code,
                editable=False,
                max_length=24,
                unique=True,
                verbose_name="door QR code",
            ),
        ),
        migrations.RunPython(load_fee, migrations.RunPython.noop),
    ]
