"""The supervisors' admin of the front desk's records: each section's admin lives in
``<section>_admin.py`` and is imported here so Django's autodiscovery finds it."""

from . import (
    duty_admin,  # noqa: F401
    liaison_admin,  # noqa: F401
    notice_admin,  # noqa: F401 (announcements)
    recyclables_admin,  # noqa: F401  (recyclables and material distribution)
)

# --- patrols: from . import patrol_admin ---
# isort: split
from . import patrol_admin  # noqa: F401

# --- management log: from . import management_log_admin ---
# isort: split
from . import management_log_admin  # noqa: F401

# --- quality checks: from . import quality_admin ---
# isort: split
from . import quality_admin  # noqa: F401

# --- dashboard: from . import dashboard_admin ---
# isort: split
from . import dashboard_admin  # noqa: F401
