"""The initial price list (价目表). Finance changes prices in the admin afterwards."""

from decimal import Decimal

from django.db import migrations

PRICE_LIST = [
    # code, name, kind, price, unit, charged at move-in
    ("property_fee", "物业管理费", "area_monthly", "28.00", "元/㎡·月", True),
    ("ac_fee", "空调能耗费", "area_monthly", "12.00", "元/㎡·月", False),
    ("move_in_deposit", "入驻保证金", "deposit", "5000.00", "元", True),
    ("renovation_deposit", "装修保证金", "deposit", "10000.00", "元", True),
    ("signboard", "水牌制作费", "one_off", "300.00", "元/块", False),
    ("access_card", "门禁卡工本费", "one_off", "20.00", "元/张", False),
    ("damage", "损坏赔偿", "one_off", "0.00", "元", False),
]


def load(apps, schema_editor):
    FeeItem = apps.get_model("billing", "FeeItem")
    for code, name, kind, price, unit, at_move_in in PRICE_LIST:
        FeeItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "price": Decimal(price),
                "unit_label": unit,
                "at_move_in": at_move_in,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
