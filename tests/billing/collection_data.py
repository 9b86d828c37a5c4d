"""A small fixed ledger for the collection dashboard's tests, with every figure worked out by
hand below (today: 2026-06-15, Asia/Shanghai; the window: 2025-07 to 2026-06).

Buildings A and B. T1 rents a unit in A, T2 one in B, T3 one in each.

Bills (amount, issued, due, building) and what came in (allocation dates):
- z1  T2    50.00  2025-06-01  2025-06-16  B  unpaid                     (before the window)
- z2  T1   300.00  2025-05-01  2025-05-16  A  300 on 2025-08-10          (paid late, in the window)
- a1  T1   800.00  2026-03-01  2026-03-16  A  300 on 04-10, 500 on 05-20
- a2  T2   600.00  2026-04-01  2026-04-16  B  unpaid
- a3  T2   400.00  2026-04-01  2026-04-16  B  400 on 04-20
- a4  T1   100.00  2026-04-20  2026-05-05  A  unpaid
- b1  T1  1000.00  2026-05-01  2026-05-16  A  1000 on 05-10
- b2  T2  2000.00  2026-05-01  2026-05-16  B  500 on 05-20, 1500 on 06-05
- b3  T3  1000.00  2026-05-01  2026-05-16  B  lines: its unit in A 300, in B 700; unpaid
- b4  T1   200.00  2026-05-10  2026-05-25  A  no unit on the line (T1's occupancy); 200 on 05-12
- b5  T2   999.00  2026-05-05  2026-05-20  B  voided
- c1  T1   500.00  2026-06-01  2026-06-16  A  unpaid (not due yet)

May 2026: billed b1+b2+b3+b4 = 4200.00; collected by the month's end 1000+500+0+200 = 1700.00
(40.5 %); to date 3200.00 (76.2 %); arrears at 05-01: a1 500 + a2 600 + z1 50 = 1150.00, of
which 500 (a1) came in during May; with arrears (1700+500)/(4200+1150) = 2200/5350 = 41.1 %.
  A: billed 1200.00, collected 1200.00 (100.0 %), arrears 500.00 (a1), 500 in: 100.0 %.
  B: billed 3000.00, collected 500.00 (16.7 %), to date 2000.00 (66.7 %), arrears 650.00
     (a2, z1), nothing in: 500/3650 = 13.7 %.
June 2026: billed 500.00 (c1), collected 0 (0.0 %); arrears at 06-01: a2 600 + z1 50 + b2 1500
+ b3 1000 + a4 100 = 3250.00, of which 1500 (b2) came in: 1500/3750 = 40.0 %.
April 2026: billed a2+a3+a4 = 1100.00, collected 400 (36.4 %); arrears at 04-01: a1 800 + z1 50
= 850.00, 300 in: 700/1950 = 35.9 %.
March 2026: billed 800.00 (a1), nothing in (0.0 %); arrears 50.00 (z1): 0.0 %.
February 2026: nothing billed (no rate); arrears 50.00: 0.0 %.
July 2025: arrears at 07-01: z1 50 + z2 300 = 350.00; August 2025: 350.00, 300 in (85.7 %).

Aging on 2026-06-15 (overdue: due before today, unpaid): b3 1000 (30 days: 0–30), a2 600 (60
days) and a4 100 (41 days: 31–90), z1 50 (364 days: over 180); c1 is not due yet. Largest
debtors: T3 1000.00 (57.1 %), T2 650.00 (37.1 %), T1 100.00 (5.7 %).
"""

from datetime import date
from decimal import Decimal

from billing.models import Bill, FeeItem
from billing.services import LineSpec, bill_create, bill_void
from tests import factories
from tests.billing.late_fee_helpers import on_day, pay_on

TODAY = date(2026, 6, 15)
LONG_AGO = date(2020, 1, 1)


def D(value: str) -> Decimal:
    return Decimal(value)


def bill(tenant, by, amount: str, issued: date, due: date, *units, split: tuple[str, ...] = ()) -> Bill:
    """A bill of one line (on ``units[0]`` or none), or one line per unit with ``split`` amounts."""
    item = FeeItem.objects.get(code="property_fee")
    if split:
        lines = [
            LineSpec(item, f"{item.name} {u.number}", Decimal(1), D(a), u) for u, a in zip(units, split, strict=True)
        ]
    else:
        unit = units[0] if units else None
        lines = [LineSpec(item, item.name, Decimal(1), D(amount), unit)]
    with on_day(issued):
        return bill_create(tenant=tenant, title="物业管理费", lines=lines, by=by, issued_on=issued, due_date=due)


def occupy(tenant, unit, start: date = LONG_AGO, end: date | None = None):
    return factories.OccupancyFactory(tenant=tenant, unit=unit, start=start, end=end)


def ledger(desk) -> dict:
    """The ledger above; returns its buildings, tenants and bills by name."""
    a, b = factories.BuildingFactory(code="A", name="A座"), factories.BuildingFactory(code="B", name="B座")
    ua1 = factories.UnitFactory(floor=factories.FloorFactory(building=a))
    ub1 = factories.UnitFactory(floor=factories.FloorFactory(building=b))
    ua3 = factories.UnitFactory(floor=factories.FloorFactory(building=a))
    ub3 = factories.UnitFactory(floor=factories.FloorFactory(building=b))
    t1, t2, t3 = (factories.TenantFactory(name=name) for name in ("一号公司", "二号公司", "三号公司"))
    occupy(t1, ua1)
    occupy(t2, ub1)
    occupy(t3, ua3)
    occupy(t3, ub3)
    bills = {
        "z1": bill(t2, desk, "50.00", date(2025, 6, 1), date(2025, 6, 16), ub1),
        "z2": bill(t1, desk, "300.00", date(2025, 5, 1), date(2025, 5, 16), ua1),
        "a1": bill(t1, desk, "800.00", date(2026, 3, 1), date(2026, 3, 16), ua1),
        "a2": bill(t2, desk, "600.00", date(2026, 4, 1), date(2026, 4, 16), ub1),
        "a3": bill(t2, desk, "400.00", date(2026, 4, 1), date(2026, 4, 16), ub1),
        "a4": bill(t1, desk, "100.00", date(2026, 4, 20), date(2026, 5, 5), ua1),
        "b1": bill(t1, desk, "1000.00", date(2026, 5, 1), date(2026, 5, 16), ua1),
        "b2": bill(t2, desk, "2000.00", date(2026, 5, 1), date(2026, 5, 16), ub1),
        "b3": bill(t3, desk, "", date(2026, 5, 1), date(2026, 5, 16), ua3, ub3, split=("300.00", "700.00")),
        "b4": bill(t1, desk, "200.00", date(2026, 5, 10), date(2026, 5, 25)),
        "b5": bill(t2, desk, "999.00", date(2026, 5, 5), date(2026, 5, 20), ub1),
        "c1": bill(t1, desk, "500.00", date(2026, 6, 1), date(2026, 6, 16), ua1),
    }
    with on_day(date(2026, 5, 6)):
        bill_void(bill=bills["b5"], by=desk, reason="开错了")
    pay_on(date(2025, 8, 10), t1, desk, "300.00", [bills["z2"]])
    pay_on(date(2026, 4, 10), t1, desk, "300.00", [bills["a1"]])
    pay_on(date(2026, 4, 20), t2, desk, "400.00", [bills["a3"]])
    pay_on(date(2026, 5, 10), t1, desk, "1000.00", [bills["b1"]])
    pay_on(date(2026, 5, 12), t1, desk, "200.00", [bills["b4"]])
    pay_on(date(2026, 5, 20), t1, desk, "500.00", [bills["a1"]])
    pay_on(date(2026, 5, 20), t2, desk, "500.00", [bills["b2"]])
    pay_on(date(2026, 6, 5), t2, desk, "1500.00", [bills["b2"]])
    return {"A": a, "B": b, "t1": t1, "t2": t2, "t3": t3, **bills}
