"""品质检查: quality checks (supervisors and the desk record them, on a phone too), their
non-conformities (the responsible department's staff see theirs and record the rectification)
and the monthly scores per department and per item. Tenants see nothing of it."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from billing.collection import add_months
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.lists import RegisterView, xlsx_sheets_response
from jinyuan.params import parse_month
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin

from .. import quality_selectors, quality_services
from ..models import NonConformity
from ..quality_filters import CheckFilter, NonConformityFilter
from ..quality_forms import CheckForm, RecheckFailForm, RectifyForm
from .steps import PageStepMixin

# Who sees non-conformities: the desk and supervisors (all), engineering and security (their
# department's and their own).
NONCONFORMITY_ROLES = (*DESK_ROLES, Role.ENGINEERING, Role.SECURITY)


class CheckListView(StaffRequiredMixin, RegisterView):
    template_name = "frontdesk/quality/check_list.html"
    filterset_class = CheckFilter
    roles = DESK_ROLES
    export_name = gettext_lazy("Quality checks")
    export_columns = (
        (gettext_lazy("Number"), lambda c: c.number),
        (gettext_lazy("Checked at"), lambda c: c.checked_at),
        (gettext_lazy("Department"), lambda c: c.get_department_display()),
        (gettext_lazy("Check sheet"), lambda c: str(c.sheet)),
        (gettext_lazy("Area / location"), lambda c: c.location),
        (gettext_lazy("Inspector"), lambda c: str(c.inspector)),
        (gettext_lazy("Total score"), lambda c: c.total),
        (gettext_lazy("Non-conforming items"), lambda c: c.failed_items),
        (gettext_lazy("Notes"), lambda c: c.notes),
    )

    def get_queryset(self):
        return quality_selectors.checks().order_by("-checked_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("sheet", "inspector")


class CheckSheetChoiceView(StaffRequiredMixin, TemplateView):
    """The first step of a check on a phone: the sheets in use, one big button each."""

    template_name = "frontdesk/quality/sheet_choice.html"
    roles = DESK_ROLES

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sheets": list(quality_selectors.active_sheets())}


class CheckNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    template_name = "frontdesk/quality/check_form.html"
    form_class = CheckForm
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.sheet = quality_selectors.sheet_for_check(kwargs["sheet"])
        self.items = list(self.sheet.items.order_by("order", "pk"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sheet": self.sheet, "items": self.items}

    def get_initial(self):
        return {"checked_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sheet": self.sheet}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def run_service(self, form):
        check = quality_services.quality_check_submit(sheet=self.sheet, by=self.request.user, **form.service_kwargs())
        messages.success(
            self.request,
            _("Quality check %(number)s recorded: %(total)s points.") % {"number": check.number, "total": check.total},
        )
        return redirect("desk:frontdesk:quality_check_detail", pk=check.pk)


class CheckDetailView(StaffRequiredMixin, DetailView):
    template_name = "frontdesk/quality/check_detail.html"
    context_object_name = "check"
    roles = DESK_ROLES

    def get_object(self, queryset=None):
        return quality_selectors.check_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["scores"] = quality_selectors.scores_of(self.object)
        ctx["photos"] = quality_selectors.photos_of(self.object)
        # The check's timeline tells its non-conformities' story too: one query.
        ctx["nonconformities"] = [s.nonconformity for s in ctx["scores"] if _has_nc(s)]
        ctx["events"] = timeline(self.object, *ctx["nonconformities"])
        return ctx


def _has_nc(score) -> bool:
    try:
        return score.nonconformity is not None
    except NonConformity.DoesNotExist:
        return False


class NonConformityListView(StaffRequiredMixin, RegisterView):
    template_name = "frontdesk/quality/nonconformity_list.html"
    filterset_class = NonConformityFilter
    roles = NONCONFORMITY_ROLES
    export_name = gettext_lazy("Non-conformities")
    export_columns = (
        (gettext_lazy("Number"), lambda n: n.number),
        (gettext_lazy("Quality check"), lambda n: n.check_record.number),
        (gettext_lazy("Department"), lambda n: n.get_department_display()),
        (gettext_lazy("Item"), lambda n: n.score.text),
        (gettext_lazy("Finding"), lambda n: n.description),
        (gettext_lazy("Responsible person"), lambda n: str(n.responsible or "")),
        (gettext_lazy("Rectify by"), lambda n: n.due_at),
        (gettext_lazy("Status"), lambda n: n.get_status_display()),
        (gettext_lazy("Rectification"), lambda n: n.rectification),
        (gettext_lazy("Closed at"), lambda n: n.closed_at),
    )

    def get_queryset(self):
        return quality_selectors.nonconformities_for(self.request.user).order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("check_record", "score", "responsible")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "now": timezone.now()}


class NonConformityDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """The non-conformity, its check's item, the rectification and re-checks, the timeline.
    Re-check passed and void are buttons; a rectification (with photos) and a failed re-check
    (with a new deadline) are forms posting to their own URLs."""

    template_name = "frontdesk/quality/nonconformity_detail.html"
    context_object_name = "nc"
    roles = NONCONFORMITY_ROLES
    action_services = {"recheck_pass": quality_services.nonconformity_recheck_pass}
    action_names = ("void",)

    def get_object(self, queryset=None):
        return quality_selectors.nonconformity_for(self.kwargs["pk"], self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        nc, user = self.object, self.request.user
        names = {t.name for t in nc.get_available_user_status_transitions(user)}
        ctx["may_rectify"] = "rectify" in names
        ctx["may_fail"] = "recheck_fail" in names
        if ctx["may_rectify"]:
            ctx.setdefault("rectify_form", RectifyForm(prefix="rectify"))
        if ctx["may_fail"]:
            ctx.setdefault("fail_form", RecheckFailForm(prefix="fail"))
        ctx["photos"] = quality_selectors.photos_of(nc)
        ctx["may_see_check"] = user.has_role(*DESK_ROLES)
        ctx["now"] = timezone.now()
        return ctx


class NonConformityStepView(PageStepMixin, NonConformityDetailView):
    """A form posted from the non-conformity's page (a rectification, a failed re-check)."""

    form_class = RectifyForm
    transition_name = ""

    def back(self):
        return redirect("desk:frontdesk:nonconformity_detail", pk=self.object.pk)

    def load_step(self):
        self.object = nc = self.get_object()  # another department's: 404, as on its page
        if self.request.method == "POST" and not any(
            t.name == self.transition_name and t.has_perm(nc, self.request.user)
            for t in nc.get_all_status_transitions()
        ):
            raise PermissionDenied


class NonConformityRectifyView(NonConformityStepView):
    form_class = RectifyForm
    prefix = "rectify"
    context_key = "rectify_form"
    transition_name = "rectify"

    def run(self, form):
        nc = self.object
        d = form.cleaned_data
        quality_services.nonconformity_rectify(obj=nc, by=self.request.user, note=d["note"], photos=d["photos"])
        messages.success(self.request, _("Rectification recorded; it waits for its re-check."))


class NonConformityRecheckFailView(NonConformityStepView):
    form_class = RecheckFailForm
    prefix = "fail"
    context_key = "fail_form"
    transition_name = "recheck_fail"

    def run(self, form):
        nc = self.object
        d = form.cleaned_data
        quality_services.nonconformity_recheck_fail(obj=nc, by=self.request.user, note=d["note"], due_at=d["due_at"])
        messages.success(self.request, _("Re-check failed: to be rectified again by the new deadline."))


class ScoresView(StaffRequiredMixin, TemplateView):
    """Monthly scores per department and per item, this month against last; ``?export=xlsx``
    downloads both tables."""

    template_name = "frontdesk/quality/scores.html"
    roles = DESK_ROLES

    def get(self, request, *args, **kwargs):
        self.month = parse_month(request.GET.get("month")) or quality_selectors.this_month()
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        columns = (
            (gettext_lazy("Score"), lambda r: r.score),
            (gettext_lazy("Last month"), lambda r: r.last),
            (gettext_lazy("Change"), lambda r: r.change),
            (gettext_lazy("Checks"), lambda r: r.checks),
        )
        month = self.month.strftime("%Y-%m")
        return xlsx_sheets_response(
            f"{_('Quality scores')} {month}",
            [
                (
                    _("Departments"),
                    ((gettext_lazy("Department"), lambda r: r.label), *columns),
                    quality_selectors.department_scores(self.month),
                ),
                (
                    _("Check items"),
                    (
                        (gettext_lazy("Department"), lambda r: r.department),
                        (gettext_lazy("Item"), lambda r: r.label),
                        *columns,
                    ),
                    quality_selectors.item_scores(self.month),
                ),
            ],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["month"] = self.month
        ctx["last_month"] = add_months(self.month, -1)
        ctx["next_month"] = add_months(self.month, 1)
        ctx["month_end"] = ctx["next_month"] - dt.timedelta(days=1)
        ctx["departments"] = quality_selectors.department_scores(self.month)
        ctx["items"] = quality_selectors.item_scores(self.month)
        return ctx
