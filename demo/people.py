"""Demo logins: one staff user per role, a superuser, and portal users of tenant companies."""

import random
import string
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from jinyuan.accounts.roles import Role
from jinyuan.workflow.models import AuditEvent
from tenants.models import Contact, Membership, Tenant
from tenants.services import member_add

from . import clock, names
from .bulk import copy_insert

TENANT_PASSWORD = "tenant12345"  # noqa: S105 - a demo login, printed for everyone
TENANT_STAFF_LOGINS = 3  # tenant_a_staff, tenant_b_staff, tenant_c_staff
SIGNED_UP_AFTER = timedelta(minutes=20)  # the desk adds the portal users after the contacts


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    who: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    password: str
    role: Role | None  # None: the superuser
    display_name: str
    phone: str


STAFF = (
    StaffSpec("desk", "desk12345", Role.FRONT_DESK, "前台 李敏", "0771-5561001"),
    StaffSpec("supervisor", "super12345", Role.SUPERVISOR, "客服主管 黄海燕", "0771-5561002"),
    StaffSpec("engineer", "engineer12345", Role.ENGINEERING, "工程部 韦建国", "0771-5561003"),
    StaffSpec("guard", "guard12345", Role.SECURITY, "秩序部 覃志强", "0771-5561004"),
    StaffSpec("finance", "finance12345", Role.FINANCE, "财务部 莫丽华", "0771-5561005"),
    StaffSpec("admin", "admin12345", None, "系统管理员", ""),
)
STAFF_DOMAIN = "jinyuan-cbd.example"


def create_staff() -> dict[str, Any]:
    """The staff users by username. The supervisor also uses the Django admin."""
    User = get_user_model()
    users = {}
    for spec in STAFF:
        user = User(
            username=spec.username,
            password=make_password(spec.password),
            display_name=spec.display_name,
            phone=spec.phone,
            email=f"{spec.username}@{STAFF_DOMAIN}",
            # Finance keeps the price list in the admin (its group's permissions come by migration).
            is_staff=spec.role in (None, Role.SUPERVISOR, Role.FINANCE),
            is_superuser=spec.role is None,
        )
        user.save()
        if spec.role:
            user.groups.add(Group.objects.get(name=spec.role))
        users[spec.username] = user
    users["supervisor"].user_permissions.set(supervisor_permissions())
    return users


def _project_app_labels() -> list[str]:
    """Our own apps (not Django's or third parties'), found by where their code lives."""
    base = Path(settings.BASE_DIR).resolve()
    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts and config.label != "demo":
            labels.append(config.label)
    return labels


def supervisor_permissions() -> list[Permission]:
    """Everything but deleting on our apps (nothing is hard-deleted), seeing users, and
    clearing login lockouts (django-axes) so a locked-out clerk can be let back in."""
    domain = [label for label in _project_app_labels() if label != "accounts"]
    perms = Permission.objects.filter(content_type__app_label__in=domain).exclude(codename__startswith="delete_")
    extra = Permission.objects.filter(
        content_type__app_label="accounts", codename="view_user"
    ) | Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
    )
    return [*perms, *extra]


def portal_username(index: int) -> str:
    """tenant_a ... tenant_z for the first companies, then tenant_0027 ..."""
    if index < 26:
        return f"tenant_{string.ascii_lowercase[index]}"
    return f"tenant_{index + 1:04d}"


def create_portal_users(
    rng: random.Random,
    tenants: list[Tenant],
    contacts: dict[int, list[Contact]],
    admins: int,
    desk: Any,
    *,
    bulk: bool,
) -> list[Any]:
    """A portal administrator for each of the first ``admins`` tenants (their primary contact)
    and a staff user for the first few, made by the desk right after registering the company.
    Returns the administrators in tenant order."""
    User = get_user_model()
    # One hash for all: hashing is deliberately slow, and these share the demo password.
    password = make_password(TENANT_PASSWORD)
    memberships = []
    for index, tenant in enumerate(tenants[:admins]):
        primary, *others = contacts[index]
        admin = User(
            username=portal_username(index),
            password=password,
            display_name=primary.name,
            phone=primary.phone,
            email=primary.email,
        )
        memberships.append(Membership(user=admin, tenant=tenant, role=Membership.Role.ADMIN))
        if index < TENANT_STAFF_LOGINS:
            staff_name = others[0].name if others else names.person_name(rng)
            staff = User(username=f"{portal_username(index)}_staff", password=password, display_name=staff_name)
            memberships.append(Membership(user=staff, tenant=tenant, role=Membership.Role.STAFF))
    for membership in memberships:
        membership.user.date_joined = membership.tenant.created_at + SIGNED_UP_AFTER
    if bulk:
        _members_in_bulk(memberships, desk.pk)
    else:
        for membership in memberships:
            with clock.at(membership.user.date_joined):
                membership.user.save()
                member_add(tenant=membership.tenant, user=membership.user, role=membership.role, by=desk)
    return [m.user for m in memberships if m.role == Membership.Role.ADMIN]


def _members_in_bulk(memberships: list[Membership], desk_id: int) -> None:
    """Users and memberships with COPY, and the event ``member_add`` leaves on the tenant."""
    copy_insert(get_user_model(), [m.user for m in memberships])
    ct = ContentType.objects.get_for_model(Tenant)
    events = [
        AuditEvent(
            content_type=ct,
            object_id=m.tenant.pk,
            action="tenant.member_added",
            actor_id=desk_id,
            at=m.user.date_joined,
            data={"user": m.user.username, "role": m.role},
        )
        for m in memberships
    ]
    for membership in memberships:
        membership.user_id = membership.user.pk  # (forgets the cached user: read above)
    copy_insert(Membership, memberships)
    copy_insert(AuditEvent, events)


def logins(tenants: list[Tenant]) -> list[Login]:
    """The logins to print: every staff role, then the portal users of tenants A and B."""
    staff = [Login(s.username, s.password, s.display_name) for s in STAFF]
    portal = []
    for index, suffix, role in ((0, "", "管理员"), (0, "_staff", "员工"), (1, "", "管理员")):
        if index < len(tenants):
            portal.append(Login(f"{portal_username(index)}{suffix}", TENANT_PASSWORD, f"{tenants[index].name} {role}"))
    return staff + portal
