from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .roles import Role


def staff_with_role(role: Role) -> QuerySet:
    """Active staff holding ``role``: who is told when work waits for that role."""
    return get_user_model().objects.filter(groups__name=role, is_active=True)
