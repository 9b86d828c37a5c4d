"""Shared by the feedback tests: a completed ticket, the sign-off form's data."""

from repairs import services
from repairs.models import RepairCategory, RepairTicket


def water_category(**over) -> RepairCategory:
    fields = {"name": "水电", "response_minutes": 30, "completion_hours": 4, **over}
    return RepairCategory.objects.create(**fields)


def completed(desk, engineer, category, tenant=None, **over) -> RepairTicket:
    fields = {"reporter_name": "王建国", "phone": "13877110001", "description": "卫生间漏水", **over}
    ticket = services.report(by=desk, category=category, tenant=tenant, **fields)
    if ticket.status == RepairTicket.Status.POOLED:
        services.take(ticket, by=engineer)
    else:
        services.assign(ticket, engineer=engineer, by=desk)
        services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    if category.paid:
        agree_a_quote(ticket, desk, engineer)
    services.complete(ticket, by=engineer, materials="水龙头 1 个")
    return ticket


def agree_a_quote(ticket: RepairTicket, desk, engineer) -> None:
    """A paid repair's quote, proposed on site and accepted at the desk for the tenant."""
    from decimal import Decimal

    from billing.models import FeeItem
    from billing.paid import PaidItem
    from repairs import quotes

    item, _made = FeeItem.objects.get_or_create(
        code="repair_labour", defaults={"name": "维修人工", "kind": FeeItem.Kind.ONE_OFF, "price": Decimal("80")}
    )
    quotes.quote_propose(ticket=ticket, items=[PaidItem(item, Decimal("1"))], materials=[], by=engineer)
    quotes.quote_accept(ticket=ticket, by=desk, via="desk")


def scores(**over) -> dict:
    return {"overall": 5, "speed": 4, "service": 5, "satisfied": True, "comment": "", **over}


def form_data(**over) -> dict:
    data = {"overall": "5", "speed": "4", "service": "5", "satisfied": "yes", "comment": "", **over}
    return {k: v for k, v in data.items() if v is not None}
