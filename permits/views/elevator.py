"""专用货梯: desk and portal pages of the freight-elevator slots (calendar, booking, detail)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.calendar import load_calendar
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import elevator as services
from .. import elevator_selectors as selectors
from ..elevator_filters import ElevatorBookingFilter, PortalElevatorBookingFilter
from ..elevator_forms import BookingForm, OperatorForm
from ..models import ELEVATOR_AREA, ElevatorBooking

DESK_ACTIONS = {
    "cancel": services.elevator_cancel,
    "complete": services.elevator_complete,
    "no_show": services.elevator_no_show,
}
PORTAL_ACTIONS = {"cancel": services.elevator_cancel}


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


class BookingRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("elevator", "tenant", "operator")


class ElevatorBookingListView(StaffRequiredMixin, BookingRegister):
    template_name = "permits/elevator/desk_list.html"
    filterset_class = ElevatorBookingFilter
    export_name = gettext_lazy("Freight elevator bookings")
    export_columns = (
        (gettext_lazy("Freight elevator"), lambda b: b.elevator.name),
        (gettext_lazy("Time"), lambda b: b.hours_text),
        (gettext_lazy("Company"), lambda b: b.company),
        (gettext_lazy("Purpose"), lambda b: b.purpose),
        (gettext_lazy("Operator"), lambda b: b.operator.get_full_name() if b.operator else ""),
        (gettext_lazy("Billed hours"), lambda b: b.fee_hours),
        (gettext_lazy("Fee (CNY)"), lambda b: b.fee),
        (gettext_lazy("Status"), lambda b: b.get_status_display()),
    )

    def get_queryset(self):
        return ElevatorBooking.objects.order_by("-start", "-id")

    def get_context_data(self, **kwargs):
        ctx = {**super().get_context_data(**kwargs), "elevators": list(selectors.active_elevators())}
        # From a company's page (``?for_tenant=``): the calendars book for that company.
        tenant = self.request.GET.get("for_tenant", "")
        if tenant.isdigit():
            ctx["for_tenant"] = get_object_or_404(Tenant, pk=tenant)
        return ctx


class CalendarMixin:
    """The week grid of one elevator (``?week=`` any day of it; this week by default)."""

    book_url = ""
    detail_url = ""
    base_template = ""

    def calendar_context(self, elevator, tenant_id=None):
        now = timezone.now()
        week = _day(self.request.GET.get("week")) or timezone.localdate(now)
        monday = selectors.monday_of(week)
        return {
            "elevator": elevator,
            "week": selectors.week_of(elevator, monday, calendar=load_calendar(), tenant_id=tenant_id, now=now),
            # Reversed once, not per cell: the grid has up to 7 × 30 links.
            "book_base": reverse(self.book_url, args=[elevator.pk]),
            "detail_base": reverse(self.detail_url, args=[0]).removesuffix("0/"),
            "base_template": self.base_template,
            "elevators": list(selectors.active_elevators()),
        }


class ElevatorCalendarView(StaffRequiredMixin, CalendarMixin, TemplateView):
    template_name = "permits/elevator/calendar.html"
    book_url = "desk:permits:elevator_book"
    detail_url = "desk:permits:elevator_booking_detail"
    base_template = "desk/base.html"

    def get_context_data(self, **kwargs):
        elevator = selectors.elevator_or_404(self.kwargs["pk"])
        tenant = self.request.GET.get("tenant", "")
        return {
            **super().get_context_data(**kwargs),
            **self.calendar_context(elevator),
            "desk": True,
            # From a company's page: the free slots book for that company.
            "tenant_param": tenant if tenant.isdigit() else "",
        }


class BookFormMixin:
    """The booking form of one elevator, prefilled from the calendar (``?day=&start=&end=``)."""

    template_name = "permits/elevator/book.html"
    base_template = ""
    detail_url = ""

    def booking_tenant(self):
        raise NotImplementedError

    def get_elevator(self):
        if not hasattr(self, "_elevator"):
            self._elevator = selectors.elevator_or_404(self.kwargs["pk"])
        return self._elevator

    def _suggested_end(self, start: dt.time | None) -> dt.time | None:
        """From a free cell: an hour; from a free interval (``end``): its end, at most the
        longest booking; never past closing."""
        if start is None:
            return None
        elevator = self.get_elevator()
        day = dt.date(2000, 1, 3)
        longest = dt.datetime.combine(day, start) + dt.timedelta(hours=elevator.max_hours)
        end = _time(self.request.GET.get("end"))
        wanted = dt.datetime.combine(day, end) if end else dt.datetime.combine(day, start) + dt.timedelta(hours=1)
        closes = dt.datetime.combine(day, elevator.closes)
        return min(wanted, longest, closes).time()

    def make_form(self, data=None):
        initial = {}
        if data is None:
            day, start = _day(self.request.GET.get("day")), _time(self.request.GET.get("start"))
            initial = {"day": day or timezone.localdate(), "start": start, "end": self._suggested_end(start)}
        return BookingForm(data, initial=initial, tenant=self.booking_tenant(), elevator=self.get_elevator())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        elevator = self.get_elevator()
        ctx.update(
            elevator=elevator,
            base_template=self.base_template,
            company=self.booking_tenant(),
            rate=services.hourly_rate(elevator),
            form=kwargs.get("form") or self.make_form(),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            start, end = form.times()
            try:
                booking = services.elevator_book(
                    elevator=self.get_elevator(),
                    by=request.user,
                    tenant=self.booking_tenant(),
                    start=start,
                    end=end,
                    purpose=form.cleaned_data["purpose"],
                    renovation=form.cleaned_data.get("renovation"),
                    release_note=form.cleaned_data.get("release_note"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
                return redirect(self.detail_url, pk=booking.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeskElevatorBookView(StaffRequiredMixin, BookFormMixin, TemplateView):
    """The desk books for a company (``?tenant=``, from the company's page) or for the property."""

    roles = DESK_ROLES
    base_template = "desk/base.html"
    detail_url = "desk:permits:elevator_booking_detail"

    def load(self, request, *args, **kwargs):
        tenant = request.GET.get("tenant", "")
        self.tenant = get_object_or_404(Tenant, pk=tenant) if tenant.isdigit() else None

    def booking_tenant(self):
        return self.tenant

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "desk": True}


class ElevatorBookingDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/elevator/desk_detail.html"
    context_object_name = "booking"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.booking_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        booking = self.object
        if booking.status == ElevatorBooking.Status.BOOKED and self.request.user.has_role(*DESK_ROLES):
            ctx.setdefault("operator_form", OperatorForm(initial={"operator": booking.operator_id}, auto_id="op_%s"))
        ctx["cutoff"] = services.cutoff_of(booking)
        return ctx

    def post(self, request, *args, **kwargs):
        if "operator" not in request.POST:
            return super().post(request, *args, **kwargs)
        self.object = booking = self.get_object()
        if not request.user.has_role(*DESK_ROLES):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = OperatorForm(request.POST, auto_id="op_%s")
        if form.is_valid():
            try:
                services.elevator_assign_operator(obj=booking, operator=form.cleaned_data["operator"], by=request.user)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Operator assigned."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(object=booking, operator_form=form), status=400)


# --- portal ---------------------------------------------------------------------------------------


class PortalElevatorListView(TenantMemberRequiredMixin, BookingRegister):
    template_name = "permits/elevator/portal_list.html"
    filterset_class = PortalElevatorBookingFilter
    grant_area = ELEVATOR_AREA
    paginate_by = 20

    def get_queryset(self):
        return ElevatorBooking.objects.filter(tenant=self.tenant).order_by("-start", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "elevators": list(selectors.active_elevators())}


class PortalElevatorCalendarView(TenantMemberRequiredMixin, CalendarMixin, TemplateView):
    template_name = "permits/elevator/calendar.html"
    grant_area = ELEVATOR_AREA
    book_url = "portal:permits:elevator_book"
    detail_url = "portal:permits:elevator_booking_detail"
    base_template = "portal/base.html"

    def get_context_data(self, **kwargs):
        elevator = selectors.elevator_or_404(self.kwargs["pk"])
        return {**super().get_context_data(**kwargs), **self.calendar_context(elevator, tenant_id=self.tenant.pk)}


class PortalElevatorBookView(TenantMemberRequiredMixin, BookFormMixin, TemplateView):
    grant_area = ELEVATOR_AREA
    base_template = "portal/base.html"
    detail_url = "portal:permits:elevator_booking_detail"

    def booking_tenant(self):
        return self.tenant


class PortalElevatorBookingDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/elevator/portal_detail.html"
    context_object_name = "booking"
    grant_area = ELEVATOR_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.booking_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cutoff": services.cutoff_of(self.object)}
