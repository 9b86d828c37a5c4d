"""The supervisors' admin of the front desk's records: each section's admin lives in
``<section>_admin.py`` and is imported here so Django's autodiscovery finds it."""

from . import recyclables_admin  # noqa: F401  (recyclables and material distribution)
