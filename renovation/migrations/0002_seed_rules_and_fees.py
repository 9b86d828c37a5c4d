"""Seed the supervisors' tables: fire approval rules, deposit tiers, the fee schedule, and the
fee items renovation bills use (the deposit item exists since billing 0002).

Fire approval rules. 消防法 art.15: a public gathering place (公众聚集场所, art.73: hotels,
restaurants, shops and markets, waiting rooms, stadiums, halls and public entertainment
places) needs the fire authority's safety inspection (or its 告知承诺 commitment) before it
opens, whatever its area. Fit-outs of the larger special projects of 住建部令第51号 art.14 also
need the fire design review; its area thresholds are seeded for the uses an office tower may
host. Supervisors keep the table in the admin."""

from decimal import Decimal

from django.db import migrations

ART15 = "《消防法》第十五条"
DECREE51 = "《建设工程消防设计审查验收管理暂行规定》（住建部令第51号）第十四条"
INSPECTION = "公众聚集场所投入使用、营业前消防安全检查合格证或告知承诺书"
DESIGN_REVIEW = "特殊建设工程消防设计审查意见书"

RULES = [
    # (use, area above m², document, basis)
    ("retail", "0", INSPECTION, ART15),
    ("catering", "0", INSPECTION, ART15),
    ("entertainment", "0", INSPECTION, ART15),
    ("fitness", "0", INSPECTION, ART15),
    ("hotel", "0", INSPECTION, ART15),
    ("entertainment", "500", DESIGN_REVIEW, DECREE51),
    ("catering", "500", DESIGN_REVIEW, DECREE51),
    ("childcare", "1000", DESIGN_REVIEW, DECREE51),
    ("training", "1000", DESIGN_REVIEW, DECREE51),
    ("medical", "1000", DESIGN_REVIEW, DECREE51),
    ("fitness", "2500", DESIGN_REVIEW, DECREE51),
    ("retail", "10000", DESIGN_REVIEW, DECREE51),
    ("hotel", "10000", DESIGN_REVIEW, DECREE51),
]

FEE_ITEMS = [
    ("renovation_management", "装修管理费", "元/m²/月"),
    ("renovation_waste", "装修垃圾清运费", "元/次"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("renovation", "FireApprovalRule")
    Tier = apps.get_model("renovation", "DepositTier")
    Schedule = apps.get_model("renovation", "FeeSchedule")
    FeeItem = apps.get_model("billing", "FeeItem")
    for use, area, document, basis in RULES:
        Rule.objects.get_or_create(use=use, area_above=Decimal(area), document=document, defaults={"legal_basis": basis})
    Tier.objects.get_or_create(area_up_to=Decimal("100"), defaults={"amount": Decimal("5000.00")})
    Tier.objects.get_or_create(area_up_to=None, defaults={"amount": Decimal("10000.00")})
    if not Schedule.objects.exists():
        Schedule.objects.create(
            management_basis="per_m2_month", management_rate=Decimal("3.00"), waste_removal_fee=Decimal("500.00")
        )
    # Prices live in the renovation fee schedule; these items name the bill lines.
    for code, name, label in FEE_ITEMS:
        FeeItem.objects.get_or_create(
            code=code, defaults={"name": name, "kind": "one_off", "price": Decimal("0.00"), "unit_label": label}
        )
    FeeItem.objects.get_or_create(
        code="renovation_deposit",
        defaults={"name": "装修保证金", "kind": "deposit", "price": Decimal("10000.00"), "unit_label": "元"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("renovation", "0001_initial"),
        ("billing", "0005_payment_submission_key"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
