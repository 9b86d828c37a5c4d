"""Registers (台账): filtered, paginated lists with Excel export, one shape for every app."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.forms.widgets import NullBooleanSelect
from django.http import HttpResponse
from django.utils import timezone
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


class RegisterView(FilterView):
    """A filtered list; ``?export=xlsx`` downloads the same filtered rows as Excel.

    Registers are never cached: every page is read as it is now. What keeps a far page as cheap
    as the first is that the page is chosen on plain rows and only its own rows are annotated:

    - ``get_queryset()`` gives the plain, ordered rows the filters apply to (no counts, no
      current-occupancy subqueries): the count and the page's ids come from it, index-friendly.
    - ``annotate_page(queryset)`` adds the columns the register shows (joins, counts, current
      tenant, balances) to a queryset of one page's rows; the app's selector provides it.

    An OFFSET over the annotated rows would compute every annotation for each skipped row too.
    """

    paginate_by = 25
    export_columns: Sequence[Column] = ()
    export_name = "export"
    strict = False
    export_chunk = 2000

    def annotate_page(self, queryset: QuerySet) -> QuerySet:
        """The register's columns beyond the model's own, for the rows of ``queryset`` only."""
        return queryset

    def rows_of(self, ids: Any) -> QuerySet:
        """The annotated rows whose ids are ``ids`` (a list or a sliced ``values("pk")``).

        Read through ``get_queryset()`` again, so a portal register's scope (its tenant) holds
        on the rows as well as on the ids.
        """
        return self.annotate_page(self.get_queryset().filter(pk__in=ids))

    def page_rows(self, page: QuerySet) -> QuerySet:
        """One page's rows: its ids as a subquery (``LIMIT/OFFSET`` on the plain filtered rows),
        then the annotated rows of those ids in the same order. Still one SQL statement."""
        ordering = page.query.order_by or (page.model._meta.ordering if page.query.default_ordering else ())
        return self.rows_of(page.values("pk")).order_by(*ordering)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if isinstance(rows, QuerySet):
            page.object_list = rows = self.page_rows(rows)
        return paginator, page, rows, is_paginated

    def export_rows(self, queryset: QuerySet) -> Iterator[Any]:
        """The filtered rows for Excel, annotated as on screen, ``export_chunk`` rows at a time."""
        ids = list(queryset.values_list("pk", flat=True)[:EXPORT_LIMIT])
        for start in range(0, len(ids), self.export_chunk):
            chunk = ids[start : start + self.export_chunk]
            rows = {row.pk: row for row in self.rows_of(chunk)}
            yield from (rows[pk] for pk in chunk if pk in rows)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            return xlsx_response(self.export_name, self.export_columns, self.export_rows(qs))
        return super().get(request, *args, **kwargs)

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
        rows = kwargs.get("object_list")
        if isinstance(rows, QuerySet) and not self.get_paginate_by(rows):
            kwargs["object_list"] = self.page_rows(rows)  # a register without pages: all its rows
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx
