"""巡视: the guard's phone pages (my tasks, a task, a point's scan page) and the desk's registers
(tasks, findings, points, routes, plans, the label sheet). Points, routes and plans are kept in
the admin by supervisors."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.documents.pdf import qr_img, render_pdf
from jinyuan.lists import RegisterView
from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused

from .. import patrol_selectors, patrol_services
from ..emergency_forms import TicketForm
from ..models import PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow
from ..models.patrols import PATROL_PAGE_ROLES
from ..patrol_filters import FindingFilter, TaskFilter
from ..patrol_forms import CheckForm, CodeForm, TransferForm


def point_url(point: PatrolPoint) -> str:
    """What the label's QR holds: the point's scan page at the site's address (SITE_URL, as
    every printed QR: the label stays right whichever host printed it)."""
    return settings.SITE_URL + reverse("desk:frontdesk:patrol_point_scan", args=[point.code])


class PatrolMixin(StaffRequiredMixin):
    roles = PATROL_PAGE_ROLES


# --- the phone ---------------------------------------------------------------------------------


class MyPatrolsView(PatrolMixin, TemplateView):
    """My patrol tasks: today's (and any still open), each a big button to its page."""

    template_name = "frontdesk/patrols/mine.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "tasks": list(patrol_selectors.my_tasks(self.request.user, today)),
            "today": today,
            "code_form": CodeForm(),
        }


class TaskDetailView(PatrolMixin, DetailView):
    """The task on the phone: its points in order (checked, abnormal, missed, late, out of
    order), start, type a code, the findings' tickets, a transfer, the timeline."""

    template_name = "frontdesk/patrols/task.html"
    context_object_name = "task"

    def get_object(self, queryset=None):
        return patrol_selectors.task_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        now = timezone.now()
        stops = patrol_selectors.task_stops(task, now)
        mine = task.assignee_id == user.pk
        ctx.update(
            stops=stops,
            now=now,
            is_mine=mine,
            may_start=mine and task.status == PatrolTask.Status.PENDING,
            may_scan=mine and task.is_open,
            may_transfer=task.is_open and (mine or user.has_role(*DESK_ROLES)),
            events=timeline(task),
        )
        ctx.setdefault("code_form", CodeForm())
        ctx.setdefault("transfer_form", TransferForm(prefix="transfer") if ctx["may_transfer"] else None)
        return ctx


class TaskStartView(PatrolMixin, View):
    def post(self, request, pk):
        task = patrol_selectors.task_for(request.user, pk)
        try:
            patrol_services.task_start(task=task, by=request.user)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("Patrol started: scan the first point."))
        return redirect("desk:frontdesk:patrol_task", pk=task.pk)

    def get(self, request, pk):
        task = patrol_selectors.task_for(request.user, pk)
        return redirect("desk:frontdesk:patrol_task", pk=task.pk)


class TaskTransferView(TaskDetailView):
    """The transfer form posted from the task page: errors beside its fields (400)."""

    def get(self, request, *args, **kwargs):
        return redirect("desk:frontdesk:patrol_task", pk=self.get_object().pk)

    def post(self, request, *args, **kwargs):
        self.object = task = self.get_object()
        form = TransferForm(request.POST, prefix="transfer")
        if form.is_valid():
            try:
                patrol_services.task_transfer(
                    task=task, by=request.user, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:frontdesk:patrol_task", pk=task.pk)
            else:
                messages.success(request, _("Task transferred to %(user)s.") % {"user": form.cleaned_data["to"]})
                if request.user.has_role(*DESK_ROLES):
                    return redirect("desk:frontdesk:patrol_task", pk=task.pk)
                return redirect("desk:frontdesk:patrol_mine")
        return self.render_to_response(self.get_context_data(transfer_form=form), status=400)


class CheckTicketView(PatrolMixin, View):
    """A finding becomes a repair ticket in one tap (once, however often it is tapped)."""

    def get(self, request, pk):
        check = patrol_selectors.check_for(request.user, pk)
        return redirect("desk:frontdesk:patrol_task", pk=check.task_id)

    def post(self, request, pk):
        check = patrol_selectors.check_for(request.user, pk)
        form = TicketForm(request.POST, prefix="ticket")
        category = form.cleaned_data["category"] if form.is_valid() else None
        try:
            ticket, created = patrol_services.check_to_ticket(check=check, by=request.user, category=category)
        except (ValidationError, TransitionRefused) as exc:
            messages.warning(request, " ".join(getattr(exc, "messages", [getattr(exc, "message", "")])))
        else:
            if created:
                messages.success(request, _("Repair ticket %(number)s created.") % {"number": ticket.number})
            else:
                messages.info(request, _("Repair ticket %(number)s was already created.") % {"number": ticket.number})
        if request.POST.get("back") == "findings":
            return redirect("desk:frontdesk:patrol_findings")
        return redirect("desk:frontdesk:patrol_task", pk=check.task_id)


class CodeEntryView(PatrolMixin, TemplateView):
    """A code typed by hand (a worn label): on to the point's scan page, or the error beside it."""

    template_name = "frontdesk/patrols/code.html"

    def get(self, request, *args, **kwargs):
        form = CodeForm(request.GET or None)
        if form.is_valid():
            point = patrol_services.point_by_code(form.cleaned_data["code"])
            if point is not None:
                url = reverse("desk:frontdesk:patrol_point_scan", args=[point.code])
                task = request.GET.get("task", "")
                return redirect(f"{url}?task={task}" if task.isdigit() else url)
            form.add_error("code", _("No patrol point has this code."))
        status = 400 if form.is_bound else 200
        return self.render_to_response(self.get_context_data(code_form=form), status=status)


class PointScanView(PatrolMixin, TemplateView):
    """The page a label's QR opens: the point, and the checklist of the user's open task that
    has it (or the task named by ``?task=``). Posting records the check."""

    template_name = "frontdesk/patrols/scan.html"

    def load(self, request, *args, **kwargs):
        self.point = patrol_services.point_by_code(kwargs["code"])
        if self.point is None:
            raise Http404
        wanted = request.GET.get("task") or request.POST.get("task") or ""
        if wanted.isdigit():
            self.task = patrol_selectors.task_for(request.user, wanted)
        else:
            self.task = patrol_selectors.open_task_with(request.user, self.point)
        self.stop = None
        if self.task is not None:
            self.stop = PatrolStop.objects.filter(route_id=self.task.route_id, point=self.point).first()
        self.done = self.task is not None and self.task.checks.filter(point=self.point).select_related("repair").first()

    def form(self, data=None, files=None) -> CheckForm:
        return CheckForm(data, files, items=self.stop.items if self.stop else ())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task = self.task
        on_route = task is not None and self.point.pk in task.points
        ctx.update(point=self.point, task=task, on_route=on_route, done=self.done)
        ctx["may_check"] = on_route and not self.done and task.is_open and task.assignee_id == self.request.user.pk
        if ctx["may_check"]:
            ctx.setdefault("form", self.form())
        return ctx

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data()
        # Not on the route of the task: the error where the code would be typed.
        status = 200 if ctx["on_route"] or self.task is None else 400
        return self.render_to_response(ctx, status=status)

    def post(self, request, *args, **kwargs):
        if self.task is None:
            return self.render_to_response(self.get_context_data(), status=400)
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                check = patrol_services.check_record(
                    task=self.task,
                    by=request.user,
                    code=self.point.code,
                    results=form.results(),
                    note=form.cleaned_data["note"],
                    photos=[photo] if photo else [],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:frontdesk:patrol_task", pk=self.task.pk)
            else:
                if check.is_abnormal:
                    messages.warning(request, _("%(point)s: finding recorded.") % {"point": self.point.name})
                else:
                    messages.success(request, _("%(point)s checked.") % {"point": self.point.name})
                return redirect("desk:frontdesk:patrol_task", pk=self.task.pk)
        ctx = self.get_context_data(form=form)
        ctx["may_check"] = True
        return self.render_to_response(ctx, status=400)


# --- registers -----------------------------------------------------------------------------------


def _who(user) -> str:
    return str(user) if user else ""


class TaskListView(PatrolMixin, RegisterView):
    template_name = "frontdesk/patrols/task_list.html"
    filterset_class = TaskFilter
    export_name = gettext_lazy("Patrol tasks")
    export_columns = (
        (gettext_lazy("Date"), lambda t: t.date),
        (gettext_lazy("Window"), lambda t: t.window_text),
        (gettext_lazy("Route"), lambda t: t.route.name),
        (gettext_lazy("Assignee"), lambda t: _who(t.assignee)),
        (gettext_lazy("Original assignee"), lambda t: _who(t.original_assignee)),
        (gettext_lazy("Transfer reason"), lambda t: t.transfer_reason),
        (gettext_lazy("Points due"), lambda t: t.points_due),
        (gettext_lazy("Points checked"), lambda t: t.points_checked),
        (gettext_lazy("Missed"), lambda t: t.points_missed),
        (gettext_lazy("Abnormal"), lambda t: t.abnormal),
        (gettext_lazy("Late"), lambda t: t.late),
        (gettext_lazy("Out of order"), lambda t: t.out_of_order),
        (gettext_lazy("Status"), lambda t: t.get_status_display()),
    )

    def get_queryset(self):
        return patrol_selectors.tasks_for(self.request.user).order_by("-date", "-starts_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("route", "assignee", "original_assignee").annotate(
            abnormal=Count("checks", filter=Q(checks__is_abnormal=True)),
            late=Count("checks", filter=Q(checks__is_late=True)),
            out_of_order=Count("checks", filter=Q(checks__is_out_of_order=True)),
        )


class FindingListView(PatrolMixin, RegisterView):
    template_name = "frontdesk/patrols/finding_list.html"
    filterset_class = FindingFilter
    export_name = gettext_lazy("Patrol findings")
    export_columns = (
        (gettext_lazy("Checked at"), lambda c: timezone.localtime(c.checked_at).replace(tzinfo=None)),
        (gettext_lazy("Point"), lambda c: c.point.name),
        (gettext_lazy("Place"), lambda c: c.point.place_text),
        (gettext_lazy("Route"), lambda c: c.task.route.name),
        (gettext_lazy("Abnormal items"), lambda c: "、".join(c.abnormal_items)),
        (gettext_lazy("Note"), lambda c: c.note),
        (gettext_lazy("Checked by"), lambda c: _who(c.checked_by)),
        (gettext_lazy("Repair ticket"), lambda c: c.repair.number if c.repair_id else ""),
    )

    def get_queryset(self):
        return patrol_selectors.findings_for(self.request.user).order_by("-checked_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related(
            "point__building", "point__floor", "task__route", "checked_by", "repair", "point__repair_category"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if any(c.is_abnormal and not c.repair_id for c in ctx["object_list"]):
            ctx["categories"] = list(TicketForm().fields["category"].queryset)
        return ctx


class PointListView(StaffRequiredMixin, ListView):
    """Patrol points with their codes and routes; the label sheet of the shown ones."""

    roles = DESK_ROLES
    template_name = "frontdesk/patrols/point_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            PatrolPoint.objects.select_related("building", "floor")
            .annotate(routes=Count("stops"))
            .order_by("building__code", "name", "id")
        )


class RouteListView(StaffRequiredMixin, ListView):
    roles = DESK_ROLES
    template_name = "frontdesk/patrols/route_list.html"
    paginate_by = 50

    def get_queryset(self):
        stops = PatrolStop.objects.select_related("point").order_by("position", "id")
        return PatrolRoute.objects.prefetch_related(Prefetch("stops", queryset=stops)).order_by("-is_active", "name")


class PlanListView(StaffRequiredMixin, ListView):
    roles = DESK_ROLES
    template_name = "frontdesk/patrols/plan_list.html"
    paginate_by = 50

    def get_queryset(self):
        windows = PatrolWindow.objects.order_by("starts", "id")
        return (
            PatrolPlan.objects.select_related("route", "assignee")
            .prefetch_related(Prefetch("windows", queryset=windows))
            .order_by("-is_active", "name", "id")
        )


class LabelSheetView(StaffRequiredMixin, View):
    """The QR labels of the points in use (or of one building: ``?building=``), as one PDF to
    print on A4 and cut: name, place and the code under the QR for typing by hand."""

    roles = DESK_ROLES

    def get(self, request, *args, **kwargs):
        points = PatrolPoint.objects.filter(is_active=True).select_related("building", "floor")
        building = request.GET.get("building", "")
        if building.isdigit():
            points = points.filter(building_id=building)
        labels = [{"point": p, "qr": qr_img(point_url(p), scale=4)} for p in points.order_by("building__code", "name")]
        pdf = render_pdf("frontdesk/patrols/pdf/labels.html", {"labels": labels})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="patrol-labels.pdf"'
        return response
