"""The customer archive: files a document at the desk. Its files are attachments of the tenant,
served by jinyuan.attachments after tenants.access.can_view_tenant_files agrees."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.workflow.views import ServiceFormMixin

from .. import services
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
