"""Announcements 公告 of the demo: a month of them walked through ``frontdesk.notice_services``
by the desk and the supervisor at the time of each step (drafted in the morning, approved,
published by the beat at their time), read by the companies' portal users over the day, the
urgent ones' unread companies called by the desk; most have expired since, one was withdrawn
after publishing. Today: an urgent water outage published this morning that some companies
have not read (the desk's panel), a fire drill approved for tomorrow and a draft waiting for the
supervisor."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from unittest import mock

from django.utils import timezone

from frontdesk import notice_services as services
from frontdesk import tasks
from frontdesk.models import Announcement, AnnouncementReceipt
from frontdesk.models.notices import URGENT_CATEGORIES

from . import clock
from .premises import Premises, local_dt

# Companies (with a portal user) that read each announcement through the services, at most.
READERS = 40

# days ago, category, title, text, audience, days shown
HISTORY = (
    (29, "general", "关于开展春季大扫除的通知", "本周五下午公共区域大扫除，请各公司清理走廊杂物。", "all", 5),
    (27, "elevator", "A座3号电梯年度保养通知", "明日9:00–17:00 3号电梯年度保养，请使用其他电梯。", "building", 2),
    (
        25,
        "water_outage",
        "二次供水水箱清洗停水通知",
        "周六8:00–12:00清洗二次供水水箱，期间停水，请提前储水。",
        "building",
        3,
    ),
    (23, "power_outage", "配电房检修停电通知", "周日7:00–9:00配电房检修，全楼停电，请提前关闭电脑。", "all", 3),
    (20, "general", "停车场收费标准调整的通知", "下月1日起临时停车收费标准调整，详见客服中心公示。", "all", 10),
    (18, "fire_drill", "年度消防疏散演练通知", "本周四15:00消防疏散演练，警铃响起请有序疏散至广场。", "all", 3),
    (15, "elevator", "货梯维修通知", "货梯维修至本周三，搬运物品请提前与客服中心预约。", "all", 4),
    (12, "water_outage", "低区给水管道维修停水通知", "今日14:00–16:00低区给水管道抢修，相关楼层停水。", "floors", 2),
    (9, "general", "端午节假期物业服务安排", "假期客服中心值班9:00–17:00，报修请拨打值班电话。", "all", 6),
    (7, "power_outage", "空调机组检修停电通知", "周六上午中央空调机组检修，部分楼层临时停电。", "floors", 2),
    (5, "general", "快递收发点调整的通知", "大堂快递收发点即日起调整至B1层东侧，请各公司知悉。", "chosen", 10),
    (3, "fire_drill", "消防设施月度测试通知", "明日10:00测试消防广播及警铃，听到警铃无需疏散。", "all", 2),
)
WITHDRAWN = "停车场收费标准调整的通知"


@dataclass
class People:
    desk: Any
    supervisor: Any


def _audience(premises: Premises, audience: str, n: int) -> dict:
    """The fields of an audience: a building, some floors of the first building, or a handful
    of companies."""
    building = premises.buildings[n % len(premises.buildings)]
    if audience == "building":
        return {"audience": Announcement.Audience.BUILDING, "building": building}
    if audience == "floors":
        floors = list(building.floors.order_by("number")[n % 3 : n % 3 + 3])
        return {"audience": Announcement.Audience.FLOORS, "building": building, "floors": floors}
    if audience == "chosen":
        return {"audience": Announcement.Audience.TENANTS, "tenants": premises.tenants[:6]}
    return {"audience": Announcement.Audience.ALL}


def _draft(people: People, title: str, text: str, category: str, publish_at, shown: timedelta, **audience):
    """The desk's draft (outages and drills urgent, as the form ticks them)."""
    return services.announcement_draft(
        by=people.desk,
        title=title,
        text=text,
        category=category,
        urgent=category in URGENT_CATEGORIES,
        publish_at=publish_at,
        expires_at=publish_at + shown,
        **{"audience": Announcement.Audience.ALL, **audience},
    )


def _publish_and_tell(moment) -> None:
    """The beat's run at ``moment``, and its notifications (queued after commit in production)."""
    with clock.at(moment):
        before = set(Announcement.objects.filter(status=Announcement.Status.PUBLISHED).values_list("pk", flat=True))
        services.publish_due(now=moment)
        for pk in (
            Announcement.objects.filter(status=Announcement.Status.PUBLISHED)
            .exclude(pk__in=before)
            .values_list("pk", flat=True)
        ):
            services.notify_addressed(pk)


def _read_and_call(obj: Announcement, users: dict[int, Any], people: People, n: int) -> None:
    """Companies with a portal user read it over the day (about two in three); for an urgent
    one the desk calls the first companies that had not read it by the afternoon."""
    receipts = list(
        AnnouncementReceipt.objects.filter(announcement=obj, tenant_id__in=users).select_related("tenant")[:READERS]
    )
    unread = []
    for i, receipt in enumerate(receipts):
        if (i + n) % 3 == 2:
            unread.append(receipt)
            continue
        moment = obj.published_at + timedelta(minutes=12 + 23 * i)
        with clock.at(moment):
            services.announcement_read(receipt=receipt, user=users[receipt.tenant_id], now=min(moment, timezone.now()))
    if not obj.urgent:
        return
    for i, receipt in enumerate(unread[:3]):
        moment = obj.published_at + timedelta(hours=4, minutes=10 * i)
        if moment > timezone.now():
            break
        receipt.announcement = obj
        with clock.at(moment):
            services.announcement_call(
                receipt=receipt,
                by=people.desk,
                result="reached" if i % 2 == 0 else "not_reached",
                note="已电话告知前台。" if i % 2 == 0 else "无人接听。",
                now=moment,
            )


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[Announcement]:
    users = {tenant.pk: admin for tenant, admin in zip(premises.tenants, admins, strict=False)}
    made = []
    # Notifications are made by the demo itself right after each beat run (no worker while seeding).
    with mock.patch.object(tasks.notify_announcement, "delay_on_commit"):
        for n, (days_ago, category, title, text, audience, shown) in enumerate(HISTORY):
            day = today - timedelta(days=days_ago)
            publish_at = local_dt(day, 10)
            with clock.at(local_dt(day, 9)):
                fields = _audience(premises, audience, n)
                obj = _draft(people, title, text, category, publish_at, timedelta(days=shown), **fields)
            with clock.at(local_dt(day, 9, 30)):
                services.announcement_approve(obj=obj, by=people.supervisor, now=local_dt(day, 9, 30))
            _publish_and_tell(publish_at)
            obj.refresh_from_db()
            _read_and_call(obj, users, people, n)
            if title == WITHDRAWN:
                with clock.at(publish_at + timedelta(days=1)):
                    services.announcement_withdraw(
                        obj=obj, by=people.supervisor, note="收费标准尚待物价部门备案，暂缓公布。"
                    )
            made.append(obj)
        # The beat since: the past ones have expired.
        _publish_and_tell(timezone.now())

        # Today: an urgent water outage published this morning, part of the companies not yet read.
        now = timezone.now()
        morning = min(local_dt(today, 8), now - timedelta(hours=1))
        with clock.at(morning):
            text = "市政供水管网维修，今晚22:00至明早6:00全楼停水，请各公司提前储水并关闭水龙头。"
            outage = _draft(people, "今晚22:00起全楼停水通知", text, "water_outage", morning, timedelta(hours=28))
        with clock.at(morning + timedelta(minutes=5)):
            services.announcement_approve(obj=outage, by=people.supervisor, now=morning + timedelta(minutes=5))
            services.notify_addressed(outage.pk)
        outage.refresh_from_db()
        _read_and_call(outage, users, people, 1)
        made.append(outage)
        # A fire drill approved for tomorrow (the beat publishes it), and a draft to approve.
        tomorrow = local_dt(today + timedelta(days=1), 9)
        text = "明日15:00举行全楼消防疏散演练，请各公司组织员工参加。"
        drill = _draft(people, "明日下午消防疏散演练通知", text, "fire_drill", tomorrow, timedelta(days=1))
        services.announcement_approve(obj=drill, by=people.supervisor)
        made.append(drill)
        text = "下周一至周五A座1层电梯厅装修，施工期间请注意安全。"
        building = {"audience": Announcement.Audience.BUILDING, "building": premises.buildings[0]}
        made.append(_draft(people, "电梯厅装修施工通知", text, "general", tomorrow, timedelta(days=7), **building))
    return made
