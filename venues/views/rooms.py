"""会议室: desk and portal pages of the meeting rooms (rooms, calendar and feed, booking,
register, detail, .ics, the door QR) and the desk's calendar of every space's day."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from billing.customer_models import Customer
from jinyuan import navigation
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.documents.pdf import qr_svg, render_pdf
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, apply_errors
from tenants import grants
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant
from tenants.selectors import membership_for

from .. import room_selectors as selectors
from .. import rooms as services
from ..models import VENUES_AREA, Booking
from ..room_filters import BookingFilter, PortalBookingFilter
from ..room_forms import RoomBookingForm

DESK_ACTIONS = {
    "cancel": services.room_cancel,
    "check_in": services.room_check_in,
    "no_show": services.room_no_show,
}
PORTAL_ACTIONS = {"cancel": services.room_cancel, "check_in": services.room_check_in}


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


def _moment(value: str | None) -> dt.datetime | None:
    """A FullCalendar feed bound (ISO date or date-time, with or without offset)."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def application_url(booking: Booking) -> str:
    """Where a booking on the calendar leads the desk: its application's page when that half of
    venues has one, else the booking itself."""
    if booking.application_id:
        try:
            return reverse("desk:venues:application_detail", args=[booking.application_id])
        except NoReverseMatch:
            pass
    return reverse("desk:venues:booking_detail", args=[booking.pk])


# --- rooms, their calendars and the feed ----------------------------------------------------------


class RoomsMixin:
    """The rooms with their free slots on one day (``?day=``; today, or tomorrow once closed):
    the phone's way to book in a tap, and the calendar's no-script twin."""

    side = ""

    def rooms_context(self, tenant_param: str = ""):
        now = timezone.now()
        rooms = list(selectors.meeting_rooms())
        first = selectors.first_day_with_room(rooms, now)
        day = _day(self.request.GET.get("day")) or first
        day = max(day, timezone.localdate(now))
        return {
            "day": day,
            "days": [first + dt.timedelta(days=i) for i in range(selectors.PHONE_DAYS)],
            "room_days": selectors.rooms_on(day, now=now, rooms=rooms),
            "book_name": f"{self.side}:venues:room_book",
            "calendar_name": f"{self.side}:venues:room_calendar",
            "tenant_param": tenant_param,
            "side": self.side,
        }


class DeskRoomsView(StaffRequiredMixin, RoomsMixin, TemplateView):
    template_name = "venues/rooms/rooms.html"
    side = "desk"

    def get_context_data(self, **kwargs):
        tenant = self.request.GET.get("tenant", "")
        ctx = {**super().get_context_data(**kwargs), **self.rooms_context(tenant if tenant.isdigit() else "")}
        if tenant.isdigit():
            ctx["for_tenant"] = get_object_or_404(Tenant, pk=tenant)
        return ctx


class PortalRoomsView(TenantMemberRequiredMixin, RoomsMixin, TemplateView):
    template_name = "venues/rooms/rooms.html"
    grant_area = VENUES_AREA
    side = "portal"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.rooms_context()}


class CalendarMixin:
    side = ""

    def calendar_context(self, tenant_param: str = ""):
        room = selectors.room_or_404(self.kwargs["pk"])
        now = timezone.now()
        day = _day(self.request.GET.get("day")) or timezone.localdate(now)
        return {
            "room": room,
            "day": day,
            "room_day": selectors.rooms_on(day, now=now, rooms=[room])[0],
            "feed_url": reverse(f"{self.side}:venues:room_feed", args=[room.pk]),
            "book_url": reverse(f"{self.side}:venues:room_book", args=[room.pk]),
            "book_name": f"{self.side}:venues:room_book",
            "rooms": list(selectors.meeting_rooms()),
            "tenant_param": tenant_param,
            "side": self.side,
        }


class DeskRoomCalendarView(StaffRequiredMixin, CalendarMixin, TemplateView):
    template_name = "venues/rooms/calendar.html"
    side = "desk"

    def get_context_data(self, **kwargs):
        tenant = self.request.GET.get("tenant", "")
        return {**super().get_context_data(**kwargs), **self.calendar_context(tenant if tenant.isdigit() else "")}


class PortalRoomCalendarView(TenantMemberRequiredMixin, CalendarMixin, TemplateView):
    template_name = "venues/rooms/calendar.html"
    grant_area = VENUES_AREA
    side = "portal"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.calendar_context()}


class FeedMixin:
    """The room's bookings between ``?start=`` and ``?end=`` (at most six weeks) as JSON for
    FullCalendar."""

    def feed_response(self, *, tenant_id, desk):
        room = selectors.room_or_404(self.kwargs["pk"])
        start, end = _moment(self.request.GET.get("start")), _moment(self.request.GET.get("end"))
        if start is None or end is None or end <= start or end - start > dt.timedelta(days=42):
            return JsonResponse({"error": _("Give a start and an end at most six weeks apart.")}, status=400)
        events = selectors.feed(room, start, end, tenant_id=tenant_id, desk=desk)
        if desk:
            base = reverse("desk:venues:booking_detail", args=[0]).removesuffix("0/")
        else:
            base = reverse("portal:venues:booking_detail", args=[0]).removesuffix("0/")
        for e in events:
            if e["id"]:
                e["url"] = f"{base}{e['id']}/"
        return JsonResponse(events, safe=False)


class DeskRoomFeedView(StaffRequiredMixin, FeedMixin, View):
    def get(self, request, *args, **kwargs):
        return self.feed_response(tenant_id=None, desk=True)


class PortalRoomFeedView(TenantMemberRequiredMixin, FeedMixin, View):
    grant_area = VENUES_AREA

    def get(self, request, *args, **kwargs):
        return self.feed_response(tenant_id=self.tenant.pk, desk=False)


# --- booking ---------------------------------------------------------------------------------------


class BookFormMixin:
    """The booking form of one room, prefilled from a free slot (``?day=&start=&end=``)."""

    template_name = "venues/rooms/book.html"
    side = ""
    customers = False

    def booking_tenant(self):
        raise NotImplementedError

    def get_room(self):
        if not hasattr(self, "_room"):
            self._room = selectors.room_or_404(self.kwargs["pk"])
        return self._room

    def _suggested_end(self, start: dt.time | None) -> dt.time | None:
        """An hour from the start (or the ``end`` asked for), at most the longest booking, never
        past closing."""
        if start is None:
            return None
        room = self.get_room()
        day = dt.date(2000, 1, 3)
        begin = dt.datetime.combine(day, start)
        end = _time(self.request.GET.get("end"))
        wanted = dt.datetime.combine(day, end) if end else begin + dt.timedelta(hours=1)
        longest = begin + dt.timedelta(hours=room.max_hours)
        closes = dt.datetime.combine(day, room.closes)
        return min(wanted, longest, closes).time()

    def make_form(self, data=None):
        initial = {}
        if data is None:
            day, start = _day(self.request.GET.get("day")), _time(self.request.GET.get("start"))
            initial = {
                "day": day or timezone.localdate(),
                "start": start,
                "end": self._suggested_end(start),
                "attendees": 1,
            }
            customer = self.request.GET.get("customer", "")
            if self.customers and customer.isdigit():
                initial["customer"] = customer
        return RoomBookingForm(data, initial=initial, space=self.get_room(), customers=self.customers)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        room = self.get_room()
        form = kwargs.get("form") or self.make_form()
        tenant = self.booking_tenant()
        ctx.update(
            room=room,
            side=self.side,
            company=tenant,
            form=form,
            cutoff_hours=settings.VENUES_CANCEL_CUTOFF_HOURS,
            quota_left=self._quota_left(room, tenant, form),
        )
        return ctx

    def _quota_left(self, room, tenant, form):
        """Free hours the company has left this month of the day shown (None: no quota)."""
        if tenant is None or not room.free_hours_per_month:
            return None
        day = form["day"].value()
        day = _day(day) if isinstance(day, str) else day
        start = services.local_at(day or timezone.localdate(), dt.time(12))
        left = services.quota_minutes(room) - services.quota_used(room, tenant, start)
        return max(left, 0) / 60

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            start, end = form.times()
            customer = form.cleaned_data.get("customer")
            try:
                booking = services.room_book(
                    space=self.get_room(),
                    by=request.user,
                    tenant=self.booking_tenant() if customer is None else None,
                    customer=customer,
                    start=start,
                    end=end,
                    title=form.cleaned_data["title"],
                    attendees=form.cleaned_data["attendees"],
                    equipment=form.cleaned_data.get("equipment") or [],
                    contact_phone=form.cleaned_data["contact_phone"],
                    accept_fee=form.cleaned_data["accept_fee"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
                return redirect(f"{self.side}:venues:booking_detail", pk=booking.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeskRoomBookView(StaffRequiredMixin, BookFormMixin, TemplateView):
    """The desk books for a company (``?tenant=``, from the company's page), for a customer (the
    form's customer field, at the non-tenant rate) or for the property itself (free)."""

    roles = DESK_ROLES
    side = "desk"

    def load(self, request, *args, **kwargs):
        tenant = request.GET.get("tenant", "")
        self.tenant = get_object_or_404(Tenant, pk=tenant) if tenant.isdigit() else None
        # A customer is chosen in the form; with a company given, there is none to choose.
        self.customers = self.tenant is None and Customer.objects.exists()

    def booking_tenant(self):
        return self.tenant


class PortalRoomBookView(TenantMemberRequiredMixin, BookFormMixin, TemplateView):
    grant_area = VENUES_AREA
    side = "portal"

    def booking_tenant(self):
        return self.tenant


# --- registers and details -------------------------------------------------------------------------


class BookingRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("space", "space__building", "tenant", "customer", "application")


class DeskBookingListView(StaffRequiredMixin, BookingRegister):
    template_name = "venues/rooms/desk_list.html"
    filterset_class = BookingFilter
    export_name = gettext_lazy("Venue bookings")
    export_columns = (
        (gettext_lazy("Space"), lambda b: b.space.name),
        (gettext_lazy("Kind"), lambda b: b.space.get_kind_display()),
        (gettext_lazy("Time"), lambda b: b.hours_text),
        (gettext_lazy("Booked by"), services.booker_name),
        (gettext_lazy("Subject"), lambda b: b.title),
        (gettext_lazy("Attendees"), lambda b: b.attendees),
        (gettext_lazy("Billed minutes"), lambda b: b.billed_minutes),
        (gettext_lazy("Free minutes (quota)"), lambda b: b.free_minutes),
        (gettext_lazy("Fee (CNY)"), lambda b: b.fee),
        (gettext_lazy("Status"), lambda b: b.get_status_display()),
    )

    def get_queryset(self):
        return Booking.objects.order_by("-start", "-id")


class DeskBookingDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "venues/rooms/desk_detail.html"
    context_object_name = "booking"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.booking_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        booking = self.object
        if booking.application_id:
            # An application's booking changes with its application: no buttons here.
            ctx["actions"] = []
            ctx["application_url"] = application_url(booking)
        ctx["cutoff"] = services.cutoff_of(booking)
        ctx["booker"] = services.booker_name(booking)
        return ctx


class DeskCalendarDayView(StaffRequiredMixin, TemplateView):
    """Every space's day at a glance: spaces × half hours, each booking one block."""

    template_name = "venues/rooms/day.html"

    def get_context_data(self, **kwargs):
        day = _day(self.request.GET.get("day")) or timezone.localdate()
        grid = selectors.calendar_day(day)
        # Reversed once, not per block.
        booking_base = reverse("desk:venues:booking_detail", args=[0]).removesuffix("0/")
        try:
            application_base = reverse("desk:venues:application_detail", args=[0]).removesuffix("0/")
        except NoReverseMatch:
            application_base = ""
        for row in grid.rows:
            for cell in row.cells:
                b = cell.booking
                if b is None:
                    continue
                start, end = timezone.localtime(b.start), timezone.localtime(b.end)
                cell.text = f"{start:%H:%M}–{end:%H:%M} {b.who}"
                if b.application_id and application_base:
                    cell.href = f"{application_base}{b.application_id}/"
                else:
                    cell.href = f"{booking_base}{b.pk}/"
        return {**super().get_context_data(**kwargs), "grid": grid, "today": timezone.localdate()}


class DeskDoorLabelView(StaffRequiredMixin, View):
    """The room's door label (PDF): its name and the QR that checks a booking in."""

    def get(self, request, *args, **kwargs):
        room = selectors.room_or_404(self.kwargs["pk"])
        # SITE_URL, as every printed QR: the label stays right whichever host printed it.
        url = settings.SITE_URL + reverse("portal:venues:door", args=[room.door_code])
        pdf = render_pdf("venues/pdf/door_label.html", {"room": room, "qr": qr_svg(url, scale=6), "url": url})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="room-{room.pk}-door.pdf"'
        return response


# --- portal ----------------------------------------------------------------------------------------


class PortalBookingListView(TenantMemberRequiredMixin, BookingRegister):
    """My company's bookings: upcoming first (``?when=upcoming``, the default), or past."""

    template_name = "venues/rooms/portal_list.html"
    filterset_class = PortalBookingFilter
    grant_area = VENUES_AREA
    paginate_by = 20

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"]
        if data is None or "when" not in data:  # "when=" (all) is a choice of its own
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["when"] = "upcoming"
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        return Booking.objects.filter(tenant=self.tenant).order_by("-start", "-id")


class PortalBookingDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "venues/rooms/portal_detail.html"
    context_object_name = "booking"
    grant_area = VENUES_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.booking_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object.application_id:
            ctx["actions"] = []
        ctx["cutoff"] = services.cutoff_of(self.object)
        return ctx


class IcsMixin:
    def ics_response(self, booking, url):
        response = HttpResponse(selectors.booking_ics(booking, url), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
        return response


class PortalBookingIcsView(TenantMemberRequiredMixin, IcsMixin, View):
    grant_area = VENUES_AREA

    def get(self, request, *args, **kwargs):
        booking = selectors.booking_for_tenant(self.kwargs["pk"], self.tenant)
        return self.ics_response(
            booking, settings.SITE_URL + reverse("portal:venues:booking_detail", args=[booking.pk])
        )


class DeskBookingIcsView(StaffRequiredMixin, IcsMixin, View):
    def get(self, request, *args, **kwargs):
        booking = selectors.booking_for_desk(self.kwargs["pk"])
        return self.ics_response(booking, settings.SITE_URL + reverse("desk:venues:booking_detail", args=[booking.pk]))


class DoorView(LoginRequiredMixin, TemplateView):
    """The QR at a room's door. Opened by a member of the booking's company or by the desk or
    security: the booking running now or starting soon, with a button to check it in. Anyone
    else sees only whether the room is in use (no company, no subject)."""

    template_name = "venues/rooms/door.html"

    def get_space(self):
        return selectors.space_by_door_code(self.kwargs["code"])

    def get_context_data(self, **kwargs):
        space = self.get_space()
        booking = services.door_booking(space)
        mine = booking is not None and services.may_check_in_at_door(booking, self.request.user)
        staff = self.request.user.has_role(*services.CHECK_IN_ROLES)
        ctx = {
            **super().get_context_data(**kwargs),
            "room": space,
            "booking": booking if mine else None,
            "busy": booking is not None and not mine,
            "base_template": "desk/base.html" if staff else "portal/base.html",
        }
        membership = None if staff else membership_for(self.request.user)
        if membership is not None:
            ctx["portal_menu"] = navigation.portal_menu(
                membership.is_admin, grants.open_areas(membership), navigation.menu_urls(get_script_prefix())
            )
        return ctx

    def post(self, request, *args, **kwargs):
        space = self.get_space()
        try:
            booking = services.door_check_in(space=space, by=request.user)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
            return redirect(request.path)
        except PermissionDenied:
            messages.warning(request, _("No booking of yours to check in in this room now."))
            return redirect(request.path)
        messages.success(request, _("Checked in: %(booking)s.") % {"booking": booking})
        return redirect(request.path)
