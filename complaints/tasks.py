from celery import shared_task


@shared_task(name="complaints.email_reply")
def email_reply(complaint_id: int) -> bool:
    """E-mail a sent reply to the complainant (loads by id; a second run sends nothing)."""
    from .services import email_reply as send

    return send(complaint_id)
