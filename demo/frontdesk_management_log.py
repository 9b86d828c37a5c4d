"""The building management log 大厦管理日志 of the demo: a month of daily logs, walked through the
services at the time of each step (``demo.clock``), after every other section's demo so each
log's sections read that day's events.

- Each past day's log is opened by the scheduler's step just after midnight (its signing
  deadline starts), most are signed by the supervisor the next morning with the state of the
  building and the duty manager's opinion; a couple were signed late (past noon of the next
  working day: the deadline recorded as missed).
- Yesterday's log is open and unsigned (on the dashboard's open work, its deadline running).
- A few open items are noted on logs: the older ones closed with a note days later, two still
  open and carried forward on every log since.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from frontdesk import action_services
from frontdesk import management_log_services as services

from . import clock
from .premises import local_dt

DAYS = 30
REMARKS = (
    ("大厦运行正常，公共区域整洁，消防通道畅通。", "各岗位按规定值守，无异常。"),
    ("上午市政停水一小时，已提前公告，恢复后供水正常。", "关注二次供水水箱水质，下周安排清洗。"),
    ("午后暴雨，地下车库入口有少量积水，已及时清理。", "雨季加强巡查，沙袋备足。"),
    ("3号电梯早高峰短暂停梯，维保人员到场处理后恢复。", "督促维保单位出具故障报告。"),
    ("装修单位施工有序，未发现违规动火。", "继续做好装修巡查记录。"),
    ("大堂空调温度偏高，工程部已调整。", "跟进业户反馈，必要时回访。"),
)
ITEMS = (
    ("地下车库B2照明线路老化，待更换", 2),
    ("12楼东侧消防门闭门器损坏，待维修", 5),
    ("楼顶水箱清洗待安排", 9),
    ("大堂旋转门异响，待厂家检修", 14),
)


@dataclass
class People:
    supervisor: Any
    engineer: Any


def through_services(people: People, today: date) -> None:
    days = [today - timedelta(days=n) for n in range(DAYS, 0, -1)]
    items = []
    for i, day in enumerate(days):
        with clock.at(local_dt(day + timedelta(days=1), 0, 10)):
            services.open_yesterday()
        for text, days_ago in ITEMS:
            if (today - day).days == days_ago + 3:
                with clock.at(local_dt(day, 17, 30)):
                    items.append(
                        services.log_add_item(
                            day=day,
                            by=people.supervisor,
                            text=text,
                            owner=people.engineer,
                            due_at=local_dt(day + timedelta(days=3), 17),
                        )
                    )
        if day == today - timedelta(days=1):
            continue  # yesterday's log waits for the supervisor's signature
        building, opinion = REMARKS[i % len(REMARKS)]
        late = i % 11 == 5  # now and then signed after the deadline
        signed_at = local_dt(day + timedelta(days=2 if late else 1), 15 if late else 9, 20)
        with clock.at(signed_at):
            services.log_write_remarks(
                day=day, by=people.supervisor, building_remarks=building, manager_opinion=opinion
            )
            services.log_sign(day=day, by=people.supervisor)
    # The two oldest items were closed with a note; the newer ones are carried forward still.
    for item in items[:2]:
        with clock.at(item.created_at + timedelta(days=4)):
            action_services.action_item_complete(obj=item, by=people.engineer, note="已处理完毕，复查正常")
