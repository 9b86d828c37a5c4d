from django.db import migrations, models


def property_fee_monthly(apps, schema_editor):
    apps.get_model("billing", "FeeItem").objects.filter(code="property_fee").update(billed_monthly=True)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_price_list")]

    operations = [
        migrations.AddField(
            model_name="feeitem",
            name="billed_monthly",
            field=models.BooleanField(default=False, verbose_name="on the monthly bill"),
        ),
        migrations.RunPython(property_fee_monthly, migrations.RunPython.noop),
    ]
