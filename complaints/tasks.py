from celery import shared_task


@shared_task(name="complaints.email_reply")
def email_reply(complaint_id: int) -> bool:
    """E-mail a sent reply to the complainant (loads by id; a second run sends nothing)."""
    from .services import email_reply as send

    return send(complaint_id)


@shared_task(name="complaints.draft_monthly_report")
def draft_monthly_report() -> int | None:
    """Beat, daily: last month's service report, drafted once (the 1st, or the first run after
    it); returns the new report's id, None when it was there already."""
    from .reports import draft_last_month

    report = draft_last_month()
    return report.pk if report else None


@shared_task(name="complaints.render_service_report", autoretry_for=(OSError,), max_retries=3, retry_backoff=True)
def render_service_report(report_id: int) -> bool:
    """Render a monthly report's PDF (loads by id; a second run writes the same file)."""
    from .reports import service_report_render

    return service_report_render(report_id)
