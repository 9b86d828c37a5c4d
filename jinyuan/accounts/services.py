"""Account writes: portal invitations with a set-password link; notification settings."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jinyuan.workflow.services import record_event


def invite_link(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:invite", args=[uid, token])


def invite_user(*, user: Any, by: Any) -> None:
    """E-mail a set-password link after the transaction commits (the user row must exist).
    The link is Django's password-reset token: single use, it dies once a password is set."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record_event(user, "account.invited", by=by, data={"email": user.email})

    def send() -> None:
        context = {"user": user, "link": invite_link(user), "site_name": "金源CBD现代城客户服务中心"}
        send_mail(
            render_to_string("accounts/invite_subject.txt", context).strip(),
            render_to_string("accounts/invite_email.txt", context),
            None,
            [user.email],
        )

    transaction.on_commit(send)


NOTIFICATION_SETTINGS = ("language", "notify_by_email", "email", "notify_by_sms", "phone")


def user_set_notification_settings(*, user: Any, by: Any, **values: Any) -> None:
    """Save the channels and language a person chose; the change is on their timeline."""
    changed = {k: v for k, v in values.items() if k in NOTIFICATION_SETTINGS and getattr(user, k) != v}
    if not changed:
        return
    with transaction.atomic():
        for k, v in changed.items():
            setattr(user, k, v)
        user.save(update_fields=list(changed))
        record_event(user, "account.notification_settings_changed", by=by, data={k: str(v) for k, v in changed.items()})
