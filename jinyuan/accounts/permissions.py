"""Model permissions of the staff roles, granted after every migrate.

Supervisors run the system from the Django admin: they get view/add/change on every model of
the project's own apps (never delete: nothing is hard-deleted). An app may grant more to a
role by declaring ``role_permissions = {"finance": ["billing.change_feeitem", ...]}`` on its
AppConfig.
"""

from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings

from .roles import Role


def _project_app_labels() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {
        cfg.label
        for cfg in global_apps.get_app_configs()
        if Path(cfg.path).resolve().is_relative_to(base) and ".venv" not in Path(cfg.path).parts
    }


def grant_role_permissions(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    # Groups are made by a migration; this only grants. (Creating them here would clash with a
    # test's serialized rollback, which restores the migrated groups with their own ids.)
    labels = _project_app_labels()
    supervisor = Group.objects.filter(name=Role.SUPERVISOR).first()
    if supervisor is not None:
        supervisor.permissions.add(
            *Permission.objects.filter(content_type__app_label__in=labels).exclude(codename__startswith="delete_")
        )
    for cfg in global_apps.get_app_configs():
        for role, codes in getattr(cfg, "role_permissions", {}).items():
            group = Group.objects.filter(name=role).first()
            if group is None:
                continue
            for code in codes:
                app_label, codename = code.split(".", 1)
                perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if perm:
                    group.permissions.add(perm)
