from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


@cache
def _user_with_roles_sql() -> str:
    user = get_user_model()
    link = user.groups.through._meta.db_table
    group = user.groups.field.related_model._meta.db_table
    # Table names from the models' own metadata, never from input; the id is a parameter.
    return (
        f"SELECT u.*, COALESCE(ARRAY_AGG(g.name) FILTER (WHERE g.id IS NOT NULL), '{{}}') AS _role_names "  # noqa: S608
        f'FROM "{user._meta.db_table}" u LEFT JOIN "{link}" ug ON ug.user_id = u.id '
        f'LEFT JOIN "{group}" g ON g.id = ug.group_id WHERE u.id = %s GROUP BY u.id'
    )


class RoleAwareModelBackend(ModelBackend):
    """Loads the user and their role (group) names in one query on every request, instead of
    a second query the first time a page asks for the roles.

    Written as SQL (``raw``), not as an annotated queryset: this runs on every signed-in request,
    and compiling the annotated query cost about 2 ms of CPU each time, the SQL itself a tenth.
    """

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = next(iter(get_user_model()._default_manager.raw(_user_with_roles_sql(), [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
