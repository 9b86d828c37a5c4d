"""Records the repair page tests share: a category, tickets in a given state, photos."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from repairs import services
from repairs.models import RepairCategory, RepairTicket
from tests import factories


def category(name: str = "水电", **fields) -> RepairCategory:
    return RepairCategory.objects.get_or_create(name=name, defaults=fields)[0]


def png(name: str = "leak.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buf = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def ticket(by, state: str = "reported", *, engineer=None, tenant=None, unit=None, **over) -> RepairTicket:
    """A ticket brought to ``state`` through the services (``engineer`` does the engineer's part)."""
    fields = {
        "reporter_name": "王建国",
        "phone": "13877110001",
        "description": "卫生间水管漏水",
        "tenant": tenant,
        "unit": unit,
        "place": "" if (tenant or unit) else "一楼大堂",
        **over,
    }
    cat = fields.pop("category", None) or category()
    if state == "pooled":
        cat = category("空调", dispatch=RepairCategory.Dispatch.POOL)
    t = services.report(by=by, category=cat, **fields)
    if state in ("reported", "pooled"):
        return t
    if state == "cancelled":
        return services.cancel(t, by=by, reason="重复报修")
    engineer = engineer or factories.UserFactory(roles=["engineering"])
    services.assign(t, engineer=engineer, by=by)
    steps = ["dispatched", "accepted", "on_site", "paused", "completed", "closed"]
    for step in steps[1 : steps.index(state) + 1]:
        if step == "accepted":
            services.accept(t, by=engineer)
        elif step == "on_site":
            services.arrive(t, by=engineer)
        elif step == "paused":
            services.pause(t, by=engineer, reason="parts")
        elif step == "completed":
            services.resume(t, by=engineer)
            services.complete(t, by=engineer, materials="水龙头 1 个")
        elif step == "closed":
            services.close(t, by=by)
    t.refresh_from_db()
    return t
