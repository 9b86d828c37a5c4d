"""Registers (台账): filtered, paginated lists with Excel export, one shape for every app."""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.forms.widgets import NullBooleanSelect
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.views import FilterView
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

Column = tuple[Any, Callable[[Any], Any]]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 50_000


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: write the local wall-clock time the clerk sees on screen.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "quantize"):  # Decimal
        return value
    return str(value)


def _text_cell(ws, value: Any) -> Any:
    """Text is written as text: openpyxl would store "=..." as a live formula, so a company
    name or signboard text someone typed could run HYPERLINK/WEBSERVICE in the clerk's Excel."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([_text_cell(ws, str(header)) for header, _ in columns])
    for row in rows:
        ws.append([_text_cell(ws, _cell(get(row))) for _, get in columns])
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}-{stamp}.xlsx"'
    return response


def data_version() -> int:
    """A number that changes with every write that matters to a register.

    Every state change writes an audit event (the kernel's rule), so the newest event id moves
    whenever any register's content may have changed. One index-only query, and the same
    answer in every worker process, so a per-process cache is never stale across workers.
    """
    from jinyuan.workflow.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


class RegisterView(FilterView):
    """A filtered list; ``?export=xlsx`` downloads the same filtered rows as Excel.

    With ``fragment_template`` set, the filter bar, the rows and the pager are rendered from it
    and cached (``settings.REGISTER_CACHE_SECONDS``) under the query string, the language, the
    day (occupancies start and end by date), the user's roles and ``data_version()``. The whole
    page is also kept per session (it carries the user's name and CSRF token), and is skipped
    when a message waits to be shown.
    """

    paginate_by = 25
    export_columns: Sequence[Column] = ()
    export_name = "export"
    strict = False
    fragment_template: str = ""

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            return xlsx_response(self.export_name, self.export_columns, qs[:EXPORT_LIMIT].iterator(chunk_size=2000))
        if self.fragment_template and settings.REGISTER_CACHE_SECONDS > 0:
            return self.cached_get(request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def cached_get(self, request, *args, **kwargs) -> HttpResponse:
        """Two levels: the page as this session last saw it for the same data (the clerk paging
        back and forth), and the rows as any user of the same roles saw them."""
        fragment_key = self.fragment_cache_key(request)
        pending_messages = bool(getattr(request, "_messages", None) and len(request._messages))
        page_key = None
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        # Only for a browser that already holds its CSRF cookie: the cached page's forms carry
        # a token made from it.
        if not pending_messages and request.session.session_key and csrf:
            page_key = f"{fragment_key}:page:{request.session.session_key}:{csrf}"
            page = cache.get(page_key)
            if page is not None:
                return HttpResponse(page)
        html = cache.get(fragment_key)
        if html is None:
            # The usual list context (filter, count, page), rendered as the fragment only.
            context = super().get(request, *args, **kwargs).context_data
            html = render_to_string(self.fragment_template, context, request=request)
            cache.set(fragment_key, html, settings.REGISTER_CACHE_SECONDS)
        response = TemplateResponse(request, self.template_name, {"register_html": mark_safe(html), "view": self})  # noqa: S308
        response.render()
        if page_key:
            cache.set(page_key, response.content, settings.REGISTER_CACHE_SECONDS)
        return response

    def fragment_cache_key(self, request) -> str:
        roles = ",".join(sorted(getattr(request.user, "role_codes", ())))
        query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]
        return ":".join(
            [
                "register",
                type(self).__name__,
                translation.get_language() or "",
                timezone.localdate().isoformat(),
                roles,
                str(data_version()),
                query,
            ]
        )

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for field in filterset.form.fields.values():
            widget = field.widget
            if isinstance(widget, NullBooleanSelect):
                # "All" reads better above a register than Django's "Unknown".
                widget.choices = [("unknown", pgettext_lazy("filter", "All")), ("true", _("Yes")), ("false", _("No"))]
            css = (
                "form-select"
                if getattr(widget, "input_type", "") == "select" or hasattr(widget, "choices")
                else "form-control"
            )
            widget.attrs.setdefault("class", css)
        return filterset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx
