"""应急事件: the desk's emergency records (tenants never see them)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin

from .. import action_selectors, emergency_selectors, emergency_services
from ..action_forms import ActionItemForm
from ..emergency_filters import EmergencyFilter
from ..emergency_forms import EmergencyForm, LinkForm, ResponseForm, TicketForm
from ..models import Emergency
from ..models.liaison import EMERGENCY_ROLES
from .steps import PageStepMixin


class EmergencyListView(StaffRequiredMixin, RegisterView):
    template_name = "frontdesk/emergencies/list.html"
    filterset_class = EmergencyFilter
    export_name = gettext_lazy("Emergency records")
    export_columns = (
        (gettext_lazy("Number"), lambda e: e.number),
        (gettext_lazy("Happened at"), lambda e: e.occurred_at),
        (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
        (gettext_lazy("Place"), lambda e: e.place_text),
        (gettext_lazy("What happened"), lambda e: e.description),
        (gettext_lazy("Outside help"), lambda e: e.outside_help),
        (gettext_lazy("Actions taken"), lambda e: e.actions),
        (gettext_lazy("Status"), lambda e: e.get_status_display()),
        (gettext_lazy("Closing summary"), lambda e: e.summary),
    )

    def get_queryset(self):
        return emergency_selectors.emergencies().order_by("-occurred_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("building", "floor")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_record"] = self.request.user.has_role(*EMERGENCY_ROLES)
        return ctx


class EmergencyNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    template_name = "frontdesk/emergencies/form.html"
    form_class = EmergencyForm
    roles = EMERGENCY_ROLES

    def get_initial(self):
        return {
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "responders": [self.request.user.pk],
        }

    def run_service(self, form):
        obj = emergency_services.emergency_report(by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Emergency %(number)s recorded.") % {"number": obj.number})
        return redirect("desk:frontdesk:emergency_detail", pk=obj.pk)


class EmergencyDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """The record, its response, follow-up items, linked records and timeline; the forms of
    each step post to their own URL and come back here with their errors."""

    template_name = "frontdesk/emergencies/detail.html"
    context_object_name = "emergency"
    action_services = {"close": emergency_services.emergency_close, "void": emergency_services.emergency_void}

    def get_object(self, queryset=None):
        return emergency_selectors.emergency_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        ctx["responders"] = emergency_selectors.responders_of(obj)
        ctx["affected"] = emergency_selectors.tenants_of(obj)
        ctx["items"] = action_selectors.items_of(obj)
        ctx["links"] = emergency_selectors.links_of(obj)
        ctx["now"] = timezone.now()
        ctx["may_respond"] = obj.status == Emergency.Status.OPEN and user.has_role(*EMERGENCY_ROLES)
        ctx["may_close"] = ctx["may_cancel"] = user.has_role(*DESK_ROLES)
        if ctx["may_respond"]:
            ctx.setdefault("item_form", ActionItemForm(prefix="item"))
            ctx.setdefault("ticket_form", TicketForm(prefix="ticket"))
            ctx.setdefault("link_form", LinkForm(prefix="link"))
        ctx["ticket"] = emergency_services.repair_ticket_of(obj)
        return ctx


class EmergencyStepView(PageStepMixin, EmergencyDetailView):
    """A step posted from the detail page (a follow-up item, a ticket, a link)."""

    roles = EMERGENCY_ROLES
    form_class = ActionItemForm

    def back(self):
        return redirect("desk:frontdesk:emergency_detail", pk=self.kwargs["pk"])

    def load_step(self):
        if self.request.method == "POST":
            self.object = self.get_object()


class EmergencyItemView(EmergencyStepView):
    form_class = ActionItemForm
    prefix = "item"
    context_key = "item_form"

    def run(self, form):
        obj = self.object
        d = form.cleaned_data
        emergency_services.emergency_add_item(
            obj=obj, by=self.request.user, text=d["text"], owner=d["owner"], due_at=d["due_at"]
        )
        messages.success(self.request, _("Follow-up item added."))


class EmergencyTicketView(EmergencyStepView):
    form_class = TicketForm
    prefix = "ticket"
    context_key = "ticket_form"

    def run(self, form):
        obj = self.object
        ticket, created = emergency_services.emergency_create_ticket(
            obj=obj, by=self.request.user, category=form.cleaned_data["category"]
        )
        if created:
            messages.success(self.request, _("Repair ticket %(number)s created.") % {"number": ticket.number})
        else:
            messages.info(self.request, _("Repair ticket %(number)s was already created.") % {"number": ticket.number})


class EmergencyLinkView(EmergencyStepView):
    form_class = LinkForm
    prefix = "link"
    context_key = "link_form"

    def run(self, form):
        obj = self.object
        link = emergency_services.emergency_link(
            obj=obj, by=self.request.user, kind=form.cleaned_data["kind"], number=form.cleaned_data["number"]
        )
        messages.success(self.request, _("Linked: %(record)s.") % {"record": link.label})


class EmergencyResponseView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """Who responded, the outside help and the actions taken, as they now stand."""

    template_name = "frontdesk/emergencies/response.html"
    form_class = ResponseForm
    roles = EMERGENCY_ROLES

    def load(self, request, *args, **kwargs):
        self.emergency = emergency_selectors.emergency_for_desk(kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "emergency": self.emergency}

    def get_initial(self):
        obj = self.emergency
        units = ", ".join(emergency_selectors.affected_units(obj))
        return {
            "responders": [u.pk for u in emergency_selectors.responders_of(obj)],
            "outside_help": obj.outside_help,
            "actions": obj.actions,
            "units": units,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "emergency": self.emergency}

    def run_service(self, form):
        d = form.cleaned_data
        try:
            emergency_services.emergency_update(
                obj=self.emergency,
                by=self.request.user,
                responders=list(d["responders"]),
                outside_help=d["outside_help"],
                actions=d["actions"],
                # The field shows only the units occupied today: unchanged, it must not drop a
                # company that has moved out since.
                tenants=d["tenants"] if "units" in form.changed_data else None,
            )
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Response updated."))
        return redirect("desk:frontdesk:emergency_detail", pk=self.emergency.pk)
