"""公告: the desk's announcement pages (register, draft, detail with actions, the companies that
have not read it and the calls) and the portal's (the company's announcements, one read)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin
from tenants.access import TenantMemberRequiredMixin

from .. import notice_selectors as selectors
from .. import notice_services as services
from ..models import Announcement
from ..models.notices import URGENT_CATEGORIES
from ..notice_filters import AnnouncementFilter, UnreadFilter
from ..notice_forms import FIELD_OF, AnnouncementForm, CallForm

DESK_ACTIONS = {"approve": services.announcement_approve, "withdraw": services.announcement_withdraw}


class KnownCountPaginator(Paginator):
    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _show_errors(form: AnnouncementForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = FIELD_OF.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AnnouncementListView(StaffRequiredMixin, RegisterView):
    template_name = "frontdesk/notices/desk_list.html"
    filterset_class = AnnouncementFilter
    export_name = gettext_lazy("Announcements")
    export_columns = (
        (gettext_lazy("Title"), lambda a: a.title),
        (gettext_lazy("Category"), lambda a: a.get_category_display()),
        (gettext_lazy("Urgent"), lambda a: _("Yes") if a.urgent else ""),
        (gettext_lazy("For"), lambda a: a.get_audience_display()),
        (gettext_lazy("Publish at"), lambda a: a.publish_at),
        (gettext_lazy("Expires at"), lambda a: a.expires_at),
        (gettext_lazy("Companies addressed"), lambda a: a.addressed_count),
        (gettext_lazy("Companies that read it"), lambda a: a.read_count),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Drafted by"), lambda a: str(a.applicant)),
    )

    def get_queryset(self):
        return selectors.announcement_register()

    def annotate_page(self, queryset):
        return queryset.select_related("applicant", "building")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_draft"] = self.request.user.has_role(*DESK_ROLES)
        ctx["categories"] = Announcement.Category.choices
        ctx["urgent_categories"] = URGENT_CATEGORIES
        return ctx


class AnnouncementFormMixin:
    template_name = "frontdesk/notices/desk_form.html"
    form_class = AnnouncementForm

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as exc:
            _show_errors(form, exc)
            return self.form_invalid(form)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:frontdesk:announcement_detail", pk=self.object.pk)
        messages.success(self.request, _("Announcement saved: the supervisor approves it before it is published."))
        return redirect("desk:frontdesk:announcement_detail", pk=obj.pk)


class AnnouncementNewView(StaffRequiredMixin, AnnouncementFormMixin, FormView):
    roles = DESK_ROLES
    object = None

    def get_initial(self):
        category = self.request.GET.get("category", "")
        return {"category": category} if category in Announcement.Category.values else {}

    def save(self, form):
        return services.announcement_draft(by=self.request.user, **form.service_kwargs())


class AnnouncementEditView(StaffRequiredMixin, AnnouncementFormMixin, FormView):
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.object = selectors.announcement_for_desk(kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if self.object.status != Announcement.Status.DRAFT:
            messages.warning(request, _("Only a draft can be changed."))
            return redirect("desk:frontdesk:announcement_detail", pk=self.object.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return AnnouncementForm.initial_of(self.object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "announcement": self.object}

    def save(self, form):
        return services.announcement_edit(obj=self.object, by=self.request.user, **form.service_kwargs())


class AnnouncementDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/notices/desk_detail.html"
    context_object_name = "announcement"
    action_services = DESK_ACTIONS
    seen_actions = ("approve",)  # the supervisor approves the draft they read, not a later edit

    def get_object(self, queryset=None):
        return selectors.announcement_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx.update(selectors.audience_of(obj))
        ctx["files"] = selectors.files_of(obj)
        ctx["reads"] = selectors.recent_reads(obj)
        ctx["linked"] = selectors.linked_records(obj)
        ctx["may_edit"] = obj.status == Announcement.Status.DRAFT and self.request.user.has_role(*DESK_ROLES)
        return ctx


class UnreadListView(StaffRequiredMixin, RegisterView):
    """The companies that have not read an announcement, with their phone, so the desk can call
    them (a call recorded on each row)."""

    template_name = "frontdesk/notices/desk_unread.html"
    filterset_class = UnreadFilter
    export_columns = (
        (gettext_lazy("Company"), lambda r: r.tenant.name),
        (gettext_lazy("Phone"), lambda r: r.contact_phone or r.tenant.phone),
        (gettext_lazy("Last call"), lambda r: r.get_last_call_result_display()),
        (gettext_lazy("Called at"), lambda r: r.last_called_at),
    )

    def load(self, request, *args, **kwargs):
        self.announcement = selectors.announcement_for_desk(kwargs["pk"])

    @property
    def export_name(self):
        return _("Not read: %(title)s") % {"title": self.announcement.title}

    def get_queryset(self):
        return selectors.unread_receipts(self.announcement)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        """Unfiltered, the count is the announcement's own (addressed less read, kept by the
        services in the same transactions as the receipts): no COUNT over the receipts."""
        if any(self.request.GET.get(name) for name in self.filterset_class.base_filters):
            return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        return KnownCountPaginator(
            queryset, per_page, orphans, allow_empty_first_page, known_count=self.announcement.unread_count
        )

    def annotate_page(self, queryset):
        return selectors.with_phone(queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["announcement"] = self.announcement
        ctx["may_call"] = (
            self.request.user.has_role(*DESK_ROLES) and self.announcement.status == Announcement.Status.PUBLISHED
        )
        # Labels translated once, not once a row.
        ctx["call_results"] = [(value, str(label)) for value, label in CallForm.base_fields["result"].choices]
        ctx.setdefault("call_form", None)
        return ctx

    def post(self, request, *args, **kwargs):
        if not request.user.has_role(*DESK_ROLES):
            raise PermissionDenied
        form = CallForm(request.POST)
        if form.is_valid():
            receipt = selectors.receipt_for_call(self.announcement, form.cleaned_data["receipt"])
            try:
                services.announcement_call(
                    receipt=receipt,
                    by=request.user,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                )
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
            else:
                messages.success(request, _("Call to %(company)s recorded.") % {"company": receipt.tenant.name})
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(request.get_full_path())


# --- portal ---------------------------------------------------------------------------------------


class PortalAnnouncementListView(TenantMemberRequiredMixin, ListView):
    template_name = "frontdesk/notices/portal_list.html"
    paginate_by = 20
    context_object_name = "receipts"

    def get_queryset(self):
        return selectors.live_receipts(self.tenant)


class PortalAnnouncementDetailView(TenantMemberRequiredMixin, DetailView):
    """Opening an announcement is the company's (and the user's) read receipt."""

    template_name = "frontdesk/notices/portal_detail.html"
    context_object_name = "receipt"

    def get_object(self, queryset=None):
        receipt = selectors.receipt_for_portal(self.tenant, self.kwargs["pk"])
        return services.announcement_read(receipt=receipt, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["announcement"] = self.object.announcement
        ctx["files"] = selectors.files_of(self.object.announcement)
        return ctx
