"""The customer archive: upload at the desk, download by desk staff or the company itself."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.uploads import file_response
from jinyuan.workflow.views import ServiceFormMixin

from .. import grants, selectors, services
from ..access import TenantMemberRequiredMixin
from ..forms import ArchiveUploadForm
from ..models import Tenant


class ArchiveUploadView(StaffRequiredMixin, ServiceFormMixin, FormView):
    roles = DESK_ROLES
    template_name = "tenants/desk/archive_form.html"
    form_class = ArchiveUploadForm

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tenant": self.tenant}

    def run_service(self, form):
        data = form.cleaned_data
        services.archive_upload(
            tenant=self.tenant, kind=data["kind"], upload=data["file"], title=data["title"], by=self.request.user
        )
        messages.success(self.request, _("Filed in the customer archive."))
        return redirect("desk:tenants:tenant_detail", pk=self.tenant.pk)


def _download_name(item) -> str:
    ext = item.file.name.rsplit(".", 1)[-1]
    return f"{item.tenant_id}-{item.get_kind_display()}-{item.pk}.{ext}"


class ArchiveDownloadView(StaffRequiredMixin, View):
    # Licences and ID scans are the customer service's files, not every department's.
    roles = DESK_ROLES

    def get(self, request, pk):
        item = selectors.archive_file(pk)
        return file_response(item.file, _download_name(item))


class PortalArchiveDownloadView(TenantMemberRequiredMixin, View):
    grant_area = grants.ARCHIVE

    def get(self, request, pk):
        item = selectors.archive_file(pk, tenant=self.tenant)
        return file_response(item.file, _download_name(item))
