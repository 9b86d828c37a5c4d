from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q


class RoleAwareModelBackend(ModelBackend):
    """Loads the user and their role (group) names in one query on every request, instead of
    a second query the first time a page asks for the roles."""

    def get_user(self, user_id):
        user = (
            self.get_user_queryset()
            .annotate(_role_names=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=[]))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_queryset(self):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.all()
