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

# --- quality checks: from . import quality_admin ---

# --- dashboard: from . import dashboard_admin ---
