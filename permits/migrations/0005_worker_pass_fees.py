"""The worker pass fees on the price list (finance changes the prices in the admin)."""

from decimal import Decimal

from django.db import migrations

FEES = [
    # code, name, kind, price, unit
    ("worker_pass", "施工人员出入证工本费", "one_off", "20.00", "元/张"),
    ("worker_pass_reissue", "施工人员出入证补办费", "one_off", "50.00", "元/张"),
    ("worker_pass_deposit", "施工人员出入证押金", "deposit", "100.00", "元/张"),
]


def load(apps, schema_editor):
    FeeItem = apps.get_model("billing", "FeeItem")
    for code, name, kind, price, unit in FEES:
        FeeItem.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "price": Decimal(price), "unit_label": unit}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0004_worker_pass"),
        ("billing", "0005_payment_submission_key"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
