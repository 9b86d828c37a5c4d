from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import registry
from .models import Document
from .services import document_render


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public page behind the QR code. Shows only what the paper shows."""
    try:
        payload = signing.loads(token, salt=settings.DOCUMENT_VERIFY_SALT)
        doc_id, number = int(payload["d"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return render(request, "documents/verify.html", {"verdict": "invalid"}, status=400)
    doc = Document.objects.filter(pk=doc_id, number=number).first()
    if doc is None:
        return render(request, "documents/verify.html", {"verdict": "unknown"}, status=404)
    spec = registry.get(doc.kind)
    fields = [(label, doc.data.get(key, "")) for key, label in spec.verify_fields]
    return render(request, "documents/verify.html", {"verdict": doc.verdict, "doc": doc, "fields": fields})


def pdf_response(document: Document) -> FileResponse:
    """Serve a document's PDF; access is checked by the calling view. Renders on demand when
    the background task has not run yet, so a download never fails for timing."""
    if not document.pdf:
        document_render(document=document)
        document.refresh_from_db()
    if not document.pdf:
        raise Http404
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=False,
        filename=f"{document.number}.pdf",
        content_type="application/pdf",
    )
