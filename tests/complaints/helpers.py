"""Complaints in a given state, through the services (as the desk, the department, the supervisor)."""

from complaints import services
from complaints.models import ComplaintCategory


def category(name: str = "服务态度") -> ComplaintCategory:
    return ComplaintCategory.objects.get_or_create(name=name)[0]


def recorded(desk, **over):
    chosen = over.pop("category", None) or category()
    fields = {
        "channel": "phone",
        "complainant_name": "王建国",
        "complainant_phone": "13877110001",
        "content": "大堂空调噪音太大",
        **over,
    }
    return services.record(by=desk, category=chosen, **fields)


def in_state(state: str, *, desk, supervisor, engineer, **over):
    """A complaint taken along the happy path to ``state`` (engineering answers)."""
    complaint = recorded(desk, **over)
    path = ["acknowledged", "assigned", "proposed", "approved", "closed"]
    steps = path[: path.index(state) + 1] if state in path else []
    for step in steps:
        if step == "acknowledged":
            services.acknowledge(complaint, by=desk)
        elif step == "assigned":
            services.assign(complaint, department="engineering", assignee=engineer, by=desk)
        elif step == "proposed":
            services.propose_reply(complaint, text="已调整空调风速，噪音已消除。", by=engineer)
        elif step == "approved":
            services.approve_reply(complaint, by=supervisor)
        elif step == "closed":
            services.send_reply(complaint, via="phone", by=desk)
    return complaint
