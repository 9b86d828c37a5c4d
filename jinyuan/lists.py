"""Registers (台账): filtered, paginated lists with Excel export, one shape for every app."""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django_filters.views import FilterView
from openpyxl import Workbook

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


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([str(header) for header, _ in columns])
    for row in rows:
        ws.append([_cell(get(row)) for _, get in columns])
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}-{stamp}.xlsx"'
    return response


class RegisterView(FilterView):
    """A filtered list; ``?export=xlsx`` downloads the same filtered rows as Excel."""

    paginate_by = 25
    export_columns: Sequence[Column] = ()
    export_name = "export"
    strict = False

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            return xlsx_response(self.export_name, self.export_columns, qs[:EXPORT_LIMIT].iterator(chunk_size=2000))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx
