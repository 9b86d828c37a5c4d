"""The front desk's own records (frontdesk/, PROCEDURES.md "Front desk and supervision"), one
module per section, all exported here so ``frontdesk.models.X`` works everywhere:

- duty.py: the duty log by shift and its handover (值班记录, 交接班); inquiries.py: visitor
  inquiries and walk-in requests (访客咨询);
- notices.py: announcements (公告) and their read receipts;
- liaison.py: tenant liaison visits (业户走访), follow-up items, emergency records (应急事件);
- requests.py: recyclables collection (废品收购) and material distribution (代派资料);
- patrols.py: patrol points, routes, plans and tasks (巡视); management_log.py: the building
  management log (大厦管理日志); quality.py: quality checks (品质检查); dashboard.py: the
  supervisor dashboard's monthly reports.
"""

# A tenant's portal area for recyclables and material distribution (tenants.grants).
FRONTDESK_AREA = "frontdesk"

from .duty import DutyEntry, Shift  # noqa: E402,F401
from .inquiries import Inquiry  # noqa: E402,F401
from .liaison import ActionItem, Emergency, EmergencyLink, Visit, VisitPlan  # noqa: E402,F401
from .notices import Announcement, AnnouncementCall, AnnouncementRead, AnnouncementReceipt  # noqa: E402,F401

# Recyclables 废品收购 and material distribution 代派资料 (requests.py).
from .requests import (  # noqa: E402, F401
    Category,
    MaterialDistribution,
    RecycleLine,
    RecyclePrice,
    Recycler,
    RecycleRequest,
)

# --- patrols 巡视 (patrols.py) ---
# isort: split
from .patrols import (  # noqa: E402, F401
    PatrolCheck,
    PatrolPlan,
    PatrolPoint,
    PatrolRoute,
    PatrolStop,
    PatrolTask,
    PatrolWindow,
)

# --- the building management log 大厦管理日志 (management_log.py) ---
# isort: split
from .management_log import ManagementLog  # noqa: E402, F401

# --- quality checks 品质检查 (quality.py) ---
# isort: split
from .quality import CheckItem, CheckScore, CheckSheet, NonConformity, QualityCheck  # noqa: E402, F401

# --- the supervisor dashboard's monthly reports (dashboard.py) ---
# isort: split
from .dashboard import MonthlyReport  # noqa: E402, F401
