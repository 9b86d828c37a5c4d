"""Statement pages 对账单: the desk's for any tenant (money roles), the portal's for the member's
own company (the "bills" area); each with its PDF. No tenant id in the portal's URLs: the
company is the member's, so another company's statement is never reachable. Thin: the period
from ``statement_forms``, the figures from ``statements``, the paper from ``statement_documents``."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .hooks import BILLS
from .payers import as_payer
from .statement_documents import statement_filename, statement_pdf
from .statement_forms import period_form
from .statements import Period, first_of, statement


class StatementMixin:
    """Reads the period from the query string; a bad one is a 400 with the error beside the
    picker and no figures (figures of another period than asked would mislead)."""

    tenant: Tenant
    page_name = ""  # URL name of the page
    pdf_name = ""  # ... and of its PDF

    def url_args(self) -> list:
        return []

    def resolve_period(self) -> Period | None:
        today = timezone.localdate()
        self.form = period_form(self.request.GET)
        if not self.form.is_bound:
            return Period.of_month(first_of(today), today)
        return self.form.period(today) if self.form.is_valid() else None

    def link(self, name: str, period: Period | None) -> str:
        url = reverse(name, args=self.url_args())
        return f"{url}?{period.query}" if period else url

    def statement_context(self, period: Period | None) -> dict:
        ctx = {"form": self.form, "page_url": reverse(self.page_name, args=self.url_args())}
        if period is None:
            return ctx
        following = period.next_month()
        ctx.update(
            statement=statement(self.tenant, period),
            period=period,
            pdf_url=self.link(self.pdf_name, period),
            previous_url=self.link(self.page_name, period.previous()),
            next_url=self.link(self.page_name, following) if following else "",
        )
        return ctx

    def get(self, request, *args, **kwargs):
        period = self.resolve_period()
        ctx = self.get_context_data(**kwargs, **self.statement_context(period))
        return self.render_to_response(ctx, status=200 if period else 400)


class PdfMixin(StatementMixin):
    as_attachment = False

    def get(self, request, *args, **kwargs):
        period = self.resolve_period()
        if period is None:
            # The page says what is wrong with the period, beside the picker.
            return super().get(request, *args, **kwargs)
        paper = statement(self.tenant, period)
        response = HttpResponse(statement_pdf(paper), content_type="application/pdf")
        disposition = "attachment" if self.as_attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{statement_filename(paper)}"'
        response["Cache-Control"] = "private, no-store"
        return response


class DeskStatementMixin(StaffRequiredMixin):
    roles = MONEY_ROLES
    template_name = "billing/statement/desk.html"
    page_name = "desk:billing:statement"
    pdf_name = "desk:billing:statement_pdf"

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def url_args(self) -> list:
        return [self.tenant.pk]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tenant": self.tenant, "payer": as_payer(self.tenant)}


class StatementView(DeskStatementMixin, StatementMixin, TemplateView):
    """A tenant's statement at the desk (finance, supervisor, desk)."""


class StatementPdfView(DeskStatementMixin, PdfMixin, TemplateView):
    pass


class PortalStatementMixin(TenantMemberRequiredMixin):
    """The member's own company's statement: ``self.tenant`` is the membership's."""

    grant_area = BILLS
    template_name = "billing/statement/portal.html"
    page_name = "portal:billing:statement"
    pdf_name = "portal:billing:statement_pdf"


class PortalStatementView(PortalStatementMixin, StatementMixin, TemplateView):
    pass


class PortalStatementPdfView(PortalStatementMixin, PdfMixin, TemplateView):
    as_attachment = True  # a download on the phone
