from celery import shared_task

from .models import Document
from .services import document_render


@shared_task(name="documents.render_pdf", autoretry_for=(OSError,), max_retries=3, retry_backoff=True)
def render_document_pdf(document_id: int) -> bool:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return False
    return document_render(document=document)
