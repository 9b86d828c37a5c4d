"""Attachments are served only here, after the record's app agreed (default: nobody)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View

from jinyuan.uploads import file_response

from . import selectors


def _download_name(attachment, suffix: str = "") -> str:
    ext = attachment.file.name.rsplit(".", 1)[-1] if not suffix else "jpg"
    # Our name, not the uploader's: no header tricks from a crafted file name.
    return f"{attachment.kind or 'file'}-{attachment.pk}{suffix}.{ext}"


class AttachmentFileView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        attachment = selectors.attachment_for(request.user, pk)
        # Photos show in the page; PDFs are downloaded.
        return file_response(attachment.file, _download_name(attachment), as_attachment=not attachment.is_image)


class AttachmentThumbnailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        attachment = selectors.attachment_for(request.user, pk)
        if not attachment.thumbnail:
            raise Http404
        return file_response(attachment.thumbnail, _download_name(attachment, "-thumb"))
