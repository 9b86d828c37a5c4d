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
    services.complete(ticket, by=engineer, materials="水龙头 1 个")
    return ticket


def scores(**over) -> dict:
    return {"overall": 5, "speed": 4, "service": 5, "satisfied": True, "comment": "", **over}


def form_data(**over) -> dict:
    data = {"overall": "5", "speed": "4", "service": "5", "satisfied": "yes", "comment": "", **over}
    return {k: v for k, v in data.items() if v is not None}
