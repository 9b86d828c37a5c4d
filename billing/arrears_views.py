"""Arrears pages 催缴: a tenant's arrears (calls, visits, notices, letters), the batch notices of
a building or floor, the supervisor's escalation list, the demand letters, and the portal's
notices. Thin: reads in arrears_selectors, writes in arrears services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES, Role
from jinyuan.documents.views import pdf_response
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from . import arrears as services
from . import arrears_selectors as sel
from .arrears_forms import BatchNoticeForm, ContactForm, DeliveryForm
from .hooks import BILLS

# The escalation list and demand letters: the supervisor and finance.
ESCALATION_ROLES = (Role.SUPERVISOR, Role.FINANCE)


class ArrearsAccountView(StaffRequiredMixin, TemplateView):
    """A tenant's arrears: its overdue bills, the calls and visits (with the form to record
    one), its notices and demand letters."""

    roles = MONEY_ROLES
    template_name = "billing/arrears/account.html"

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        bills = sel.overdue_of(self.tenant, today)
        oldest = bills[0].due_date if bills else None
        ctx.update(
            tenant=self.tenant,
            today=today,
            bills=bills,
            total=sum((b.outstanding for b in bills), sel.ZERO),
            contacts=sel.contacts_of(self.tenant)[:20],
            notices=sel.notices_of(self.tenant)[:12],
            letters=sel.letters_of(self.tenant)[:6],
            may_demand=self.request.user.has_role(*ESCALATION_ROLES) and sel.demand_letter_due(oldest, today),
        )
        ctx.setdefault("form", ContactForm())
        return ctx

    def post(self, request, tenant_pk):
        action = request.POST.get("action", "contact")
        try:
            if action == "notice":
                doc = services.notice_issue(tenant=self.tenant, by=request.user)
                messages.success(request, _("Notice %(number)s issued.") % {"number": doc.number})
                return redirect("desk:billing:arrears_notice_pdf", pk=doc.pk)
            if action == "letter":
                if not request.user.has_role(*ESCALATION_ROLES):
                    raise PermissionDenied
                letter = services.demand_letter_issue(tenant=self.tenant, by=request.user)
                messages.success(request, _("Demand letter %(number)s issued.") % {"number": letter.document.number})
                return redirect("desk:billing:demand_letter", pk=letter.pk)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
            return redirect("desk:billing:arrears_account", tenant_pk=tenant_pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_record(tenant=self.tenant, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The contact has been recorded."))
                return redirect("desk:billing:arrears_account", tenant_pk=tenant_pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class NoticePdfView(StaffRequiredMixin, View):
    roles = MONEY_ROLES

    def get(self, request, pk):
        return pdf_response(sel.notice(pk))


class BatchNoticesView(StaffRequiredMixin, TemplateView):
    """Finance or the desk picks a building or floor: a numbered notice for each tenant in
    arrears there, printed as ONE PDF. Rendering a few hundred notices takes the worker about
    half a minute, so the button issues them and leads to the batch's page, which shows the
    PDF being prepared and then the download; the recent batches are listed here."""

    roles = MONEY_ROLES
    template_name = "billing/arrears/notices.html"
    recent = 20

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", BatchNoticeForm())
        ctx["batches"] = sel.notice_batches()[: self.recent]
        return ctx

    def post(self, request):
        form = BatchNoticeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        floor, building = form.cleaned_data.get("floor"), form.cleaned_data.get("building")
        if floor is not None:
            building = None  # the floor is the narrower choice
        tenants = list(sel.tenants_in_arrears(timezone.localdate(), building=building, floor=floor))
        if not tenants:
            form.add_error(None, _("No tenant there has an overdue bill."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        batch = services.notice_batch_create(tenants=tenants, by=request.user, building=building, floor=floor)
        messages.success(
            request,
            _("%(count)d notices issued, %(first)s to %(last)s. The PDF is being prepared.")
            % {"count": batch.notices, "first": batch.first_number, "last": batch.last_number},
        )
        return redirect("desk:billing:arrears_notice_batch", pk=batch.pk)


class NoticeBatchView(StaffRequiredMixin, TemplateView):
    """A batch of notices: its companies and numbers, and the PDF once the worker has made it
    (the page asks again every few seconds until then)."""

    roles = MONEY_ROLES
    template_name = "billing/arrears/notice_batch.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = sel.notice_batch(self.kwargs["pk"])
        ctx.update(batch=batch, notices=sel.notices_in(batch), events=timeline(batch))
        return ctx


class NoticeBatchPdfView(StaffRequiredMixin, View):
    roles = MONEY_ROLES

    def get(self, request, pk):
        batch = sel.notice_batch(pk)
        if not batch.is_ready:
            messages.info(request, _("The PDF is still being prepared."))
            return redirect("desk:billing:arrears_notice_batch", pk=pk)
        place = f"{batch.floor.building.code}-{batch.floor.number}F" if batch.floor_id else batch.building.code
        return FileResponse(batch.pdf.open("rb"), filename=f"notices-{place}.pdf", content_type="application/pdf")


class EscalationView(StaffRequiredMixin, TemplateView):
    """Tenants with bills overdue more than two months, oldest first, with totals."""

    roles = ESCALATION_ROLES
    template_name = "billing/arrears/escalation.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(sel.escalation_list(today))
        for row in rows:
            row.letter_due = sel.demand_letter_due(row.oldest_due, today)
        ctx.update(rows=rows, totals=sel.escalation_totals(rows), today=today)
        return ctx


class DemandLetterView(StaffRequiredMixin, TemplateView):
    """A demand letter 催告函: its paper, and the form to record its delivery with the proof."""

    roles = ESCALATION_ROLES
    template_name = "billing/arrears/demand_letter.html"

    def load(self, request, *args, **kwargs):
        self.letter = sel.letter_detail(kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from jinyuan.attachments.selectors import attachments_of

        ctx.update(letter=self.letter, events=timeline(self.letter), proofs=attachments_of(self.letter))
        ctx.setdefault("form", DeliveryForm(initial={"delivered_on": timezone.localdate()}))
        return ctx

    def post(self, request, pk):
        form = DeliveryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.demand_letter_deliver(
                    letter=self.letter,
                    method=data["method"],
                    delivered_on=data["delivered_on"],
                    note=data["note"],
                    proof=data["proof"],
                    by=request.user,
                )
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:billing:demand_letter", pk=pk)
            except ValidationError as exc:
                if "file" in getattr(exc, "error_dict", {}):
                    form.add_error("proof", exc.error_dict.pop("file"))
                apply_errors(form, exc)
            else:
                messages.success(request, _("The delivery has been recorded."))
                return redirect("desk:billing:demand_letter", pk=pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DemandLetterPdfView(StaffRequiredMixin, View):
    roles = ESCALATION_ROLES

    def get(self, request, pk):
        letter = sel.letter_detail(pk)
        if not letter.document_id:
            raise Http404
        return pdf_response(letter.document)


class PortalNoticesView(TenantMemberRequiredMixin, TemplateView):
    """The company's own notices and demand letters, to download."""

    grant_area = BILLS
    template_name = "billing/arrears/portal_notices.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(notices=sel.notices_of(self.tenant)[:24], letters=sel.letters_of(self.tenant)[:12])
        return ctx


class PortalNoticePdfView(TenantMemberRequiredMixin, View):
    grant_area = BILLS

    def get(self, request, pk):
        return pdf_response(sel.notice_of(self.tenant, pk))


class PortalDemandLetterPdfView(TenantMemberRequiredMixin, View):
    grant_area = BILLS

    def get(self, request, pk):
        letter = sel.letter_detail(pk, tenant=self.tenant)
        if not letter.document_id:
            raise Http404
        return pdf_response(letter.document)
