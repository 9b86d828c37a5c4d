"""访客咨询: the lookup (company → unit number only), logging an inquiry, its detail with the
desk's answer, turning it into a repair ticket or a complaint, escalation, and the register."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from complaints.forms import DeskComplaintForm
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from repairs.forms import DeskIntakeForm

from .. import inquiry_selectors as selectors
from .. import inquiry_services as services
from ..inquiry_filters import InquiryFilter
from ..inquiry_forms import AnswerForm, InquiryForm, complaint_initial, repair_initial
from ..models import Inquiry

QUERY_MAX = 50


class LookupView(StaffRequiredMixin, TemplateView):
    """Which unit is a company in: the answer the desk may give a visitor, and nothing else
    (no staff, no contacts, no phones: the selector reads only company, building, floor, unit).
    An htmx request gets the results alone."""

    roles = DESK_ROLES
    template_name = "frontdesk/inquiries/lookup.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["frontdesk/inquiries/_lookup_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:QUERY_MAX]
        found, more = selectors.lookup(query)
        return {**super().get_context_data(**kwargs), "q": query, "found": found, "more": more}


class InquiryNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """Log an inquiry or walk-in request (the company and unit filled from the lookup)."""

    roles = DESK_ROLES
    template_name = "frontdesk/inquiries/new.html"
    form_class = InquiryForm

    def get_initial(self):
        initial = {}
        for name in ("tenant", "unit"):
            value = self.request.GET.get(name, "")
            if value.isascii() and value.isdigit():
                initial[name] = value
        kind = self.request.GET.get("kind", "")
        if kind in Inquiry.Kind.values:
            initial["kind"] = kind
        answer = self.request.GET.get("answer", "")
        if answer:
            initial["answer"] = answer[:200]
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        tenant = form["tenant"].value()
        ctx["company"] = ""
        if str(tenant or "").isascii() and str(tenant or "").isdigit():
            from tenants.models import Tenant

            ctx["company"] = Tenant.objects.filter(pk=tenant).values_list("name", flat=True).first() or ""
        return ctx

    def run_service(self, form):
        inquiry = services.inquiry_log(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Inquiry logged in the duty log."))
        return redirect("desk:frontdesk:inquiry_detail", pk=inquiry.pk)


class InquiryListView(StaffRequiredMixin, RegisterView):
    roles = DESK_ROLES
    template_name = "frontdesk/inquiries/list.html"
    filterset_class = InquiryFilter
    export_name = gettext_lazy("Visitor inquiries")
    export_columns = (
        (gettext_lazy("Time"), lambda i: f"{timezone.localtime(i.received_at):%Y-%m-%d %H:%M}"),
        (gettext_lazy("Channel"), lambda i: i.get_channel_display()),
        (gettext_lazy("Kind"), lambda i: i.get_kind_display()),
        (gettext_lazy("Company"), lambda i: i.tenant.name if i.tenant_id else ""),
        (gettext_lazy("Unit"), lambda i: i.unit.number if i.unit_id else ""),
        (gettext_lazy("Visitor"), lambda i: i.visitor_name),
        (gettext_lazy("What was asked"), lambda i: i.question),
        (gettext_lazy("Answer"), lambda i: i.answer or i.supervisor_note),
        (gettext_lazy("Ticket"), lambda i: str(i.ticket or "")),
        (gettext_lazy("Clerk"), lambda i: i.applicant.display_name or i.applicant.get_username()),
        (gettext_lazy("Status"), lambda i: i.get_status_display()),
    )

    def get_queryset(self):
        return selectors.inquiry_register()

    def annotate_page(self, queryset):
        return selectors.inquiry_rows(queryset)


class InquiryDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """The inquiry, its answer or ticket, the actions (escalate; the supervisor's answer) and
    the timeline."""

    roles = DESK_ROLES
    template_name = "frontdesk/inquiries/detail.html"
    context_object_name = "inquiry"
    action_services = {"escalate": services.inquiry_escalate, "close": services.inquiry_close}

    def get_object(self, queryset=None):
        return selectors.inquiry_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("answer_form", AnswerForm())
        ctx["is_open"] = self.object.status == Inquiry.Status.OPEN
        return ctx

    def post(self, request, *args, **kwargs):
        if "action" in request.POST:  # escalate, the supervisor's answer
            return super().post(request, *args, **kwargs)
        # The desk's answer; an empty one comes back beside its field.
        self.object = inquiry = self.get_object()
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(answer_form=form), status=400)
        try:
            services.inquiry_answer(obj=inquiry, by=request.user, answer=form.cleaned_data["answer"])
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("Answer saved."))
        return redirect(request.path)


class ConvertMixin(StaffRequiredMixin, ServiceFormMixin, FormView):
    """A repair ticket or a complaint made from the inquiry, its details carried over; the
    inquiry's row lock makes a double submit or two clerks at once make exactly one."""

    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.inquiry = selectors.inquiry_for_desk(kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if self.inquiry.status != Inquiry.Status.OPEN:
            messages.warning(request, _("This inquiry is no longer open."))
            return redirect("desk:frontdesk:inquiry_detail", pk=self.inquiry.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "inquiry": self.inquiry}

    def converted(self, convert, **fields):
        try:
            convert(obj=self.inquiry, by=self.request.user, **fields)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Done: the inquiry is now %(ticket)s.") % {"ticket": self._ticket()})
        return redirect("desk:frontdesk:inquiry_detail", pk=self.inquiry.pk)

    def _ticket(self):
        return Inquiry.objects.select_related("repair", "complaint").get(pk=self.inquiry.pk).ticket


class InquiryRepairView(ConvertMixin):
    template_name = "frontdesk/inquiries/to_repair.html"
    form_class = DeskIntakeForm

    def get_initial(self):
        return repair_initial(self.inquiry)

    def run_service(self, form):
        return self.converted(
            services.inquiry_to_repair,
            category=form.cleaned_data["category"],
            photos=form.cleaned_data.get("photos"),
            **form.report_fields(),
        )


class InquiryComplaintView(ConvertMixin):
    template_name = "frontdesk/inquiries/to_complaint.html"
    form_class = DeskComplaintForm

    def get_initial(self):
        return complaint_initial(self.inquiry)

    def run_service(self, form):
        return self.converted(
            services.inquiry_to_complaint,
            category=form.cleaned_data["category"],
            files=form.cleaned_data.get("files"),
            **form.record_fields(),
        )
