"""Pages of the kernel: the desk home and the notification inbox (both sides)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import get_script_prefix
from django.views import View
from django.views.generic import ListView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.navigation import menu_urls, panels_for, searches_for
from jinyuan.workflow.models import Notification
from jinyuan.workflow.selectors import notifications_for
from jinyuan.workflow.services import mark_read


class DeskHomeView(StaffRequiredMixin, TemplateView):
    template_name = "desk/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = panels_for(self.request.user)
        ctx["searches"] = searches_for(self.request.user, menu_urls(get_script_prefix()))
        ctx["notifications"] = notifications_for(self.request.user).filter(read_at__isnull=True)[:10]
        return ctx


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return notifications_for(self.request.user)


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark read, then follow the link. Someone else's notification is a 404."""

    def post(self, request, pk):
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        mark_read(notification=note, by=request.user)
        return redirect(note.url or "accounts:home")


def healthz(request):
    """Liveness for the load balancer and the throughput baseline of the benchmarks."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")
