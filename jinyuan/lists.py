"""Registers (台账): filtered, paginated lists with Excel export, one shape for every app."""

import io
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.forms.models import ModelChoiceField, ModelChoiceIterator, ModelMultipleChoiceField
from django.forms.widgets import NullBooleanSelect
from django.http import FileResponse, HttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.views import FilterView

from . import xlsx

# (title, value of a row) or (title, value of a row, SUM): a money column summed in a last row.
Column = tuple[Any, Callable[[Any], Any]] | tuple[Any, Callable[[Any], Any], str]
SUM = "sum"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every filtered row, up to what a sheet holds besides its header and totals rows.
EXPORT_LIMIT = xlsx.MAX_ROWS - 2
# A finished export up to this size is answered from memory; a larger one is streamed from disk.
EXPORT_IN_MEMORY = 2 * 1024 * 1024
# Characters Excel refuses in a sheet name; it also allows at most 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ChoicesInOneFetch(ModelChoiceIterator):
    """A filter's choices (buildings, a few dozen rows) read in one plain query. Django's own
    iterator reads them through a server-side cursor: DECLARE, FETCH and CLOSE, three round trips
    on every register page, for a list that fits in one. The rows are kept on the field
    (``choice_objects``), so the chosen value is checked against them, not read again."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in choice_objects(self.field):
            yield self.choice(obj)


def choice_objects(field: ModelChoiceField) -> list[Any]:
    """The field's choices as model instances, read once per form (one query)."""
    objects = field.__dict__.get("_choice_objects")
    if objects is None:
        objects = field.__dict__["_choice_objects"] = list(field.queryset.all())
    return objects


def choice_from_fetched(field: ModelChoiceField):
    """``to_python`` of a register filter's model choice: the chosen row found among the
    choices the bar lists anyway (``choice_objects``), where Django's reads it with a query of
    its own (a building filter cost a page one query more than the unfiltered page). The same
    value, or the same "Select a valid choice" error."""

    def to_python(value):
        if value in field.empty_values:
            return None
        field.validate_no_null_characters(value)
        key = field.to_field_name or "pk"
        if isinstance(value, field.queryset.model):
            value = getattr(value, key)
        wanted = str(value)
        for obj in choice_objects(field):
            if str(getattr(obj, key)) == wanted:
                return obj
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})

    return to_python


# Where a rows statement takes its page's ids: a marker unlike anything Django writes, replaced
# by the ids query's SQL on every request.
PAGE_IDS_MARKER = "SELECT 0 /* jinyuan:page-ids */"
PLACEHOLDER = re.compile(r"(?<!%)%s")  # a parameter; Django writes a literal % as %%


class RowsStatement:
    """A register's rows statement, compiled once: its SQL with the page's ids left open.

    Building and compiling the annotated rows query (current units, primary contact: three
    subqueries) costs a register page more than running it. Its SQL differs between requests
    only in the page's ids, so it is compiled once per key and each page puts its own ids
    query (compiled as before) in the marker's place: the same single statement, with nothing
    but SQL text kept; no row is cached.
    """

    def __init__(self, sql: str, params: tuple[Any, ...]):
        head, marker, tail = sql.partition(PAGE_IDS_MARKER)
        if not marker or PAGE_IDS_MARKER in tail:
            raise ValueError("a rows statement needs the page ids marker exactly once")
        self.head, self.tail = head, tail
        self.split = len(PLACEHOLDER.findall(head))  # the parameters before the marker
        self.params = tuple(params)

    def with_ids(self, ids_sql: str, ids_params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        return (
            f"{self.head}{ids_sql}{self.tail}",
            self.params[: self.split] + tuple(ids_params) + self.params[self.split :],
        )


class RowsStatements:
    """The compiled rows statements of every register in this process, the least recently used
    dropped past ``size`` (a key changes each day)."""

    def __init__(self, size: int = 64):
        self.size = size
        self._lock = threading.Lock()
        self._statements: OrderedDict[Hashable, RowsStatement] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], QuerySet]) -> RowsStatement:
        with self._lock:  # gunicorn's gthread workers share this between threads
            statement = self._statements.get(key)
            if statement is not None:
                self._statements.move_to_end(key)
                return statement
        statement = RowsStatement(*build().query.sql_with_params())  # compiled outside the lock
        with self._lock:
            self._statements[key] = statement
            while len(self._statements) > self.size:
                self._statements.popitem(last=False)
        return statement


ROWS_STATEMENTS = RowsStatements()


def _sheet_title(name: str) -> str:
    return SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet1"


def content_disposition(filename: Any) -> str:
    """``attachment`` with the name in UTF-8 (RFC 5987/6266) and an ASCII fallback for old
    clients: ``业户台账-20261201-0930.xlsx`` and ``export-20261201-0930.xlsx``."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with translation.override("en"):
        # The English title of a lazy translated name ("tenant-register") for the fallback.
        ascii_name = f"{slugify(str(filename)) or 'export'}-{stamp}.xlsx"
    utf8_name = quote(f"{filename}-{stamp}.xlsx", safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"


def xlsx_response(filename: Any, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    """One sheet named after the register (``filename``, a lazy translated title), a frozen
    header row with an autofilter, typed cells; columns marked ``SUM`` are summed in a last row."""
    return xlsx_sheets_response(filename, [(filename, columns, rows)])


def xlsx_sheets_response(filename: Any, sheets: Iterable[tuple[Any, Sequence[Column], Iterable[Any]]]) -> HttpResponse:
    """Several sheets in one file (a report of several tables), each ``(title, columns, rows)``
    written as ``xlsx_response`` writes its one sheet.

    The workbook is written row by row (``jinyuan.xlsx``) into a temporary file that stays in
    memory up to ``EXPORT_IN_MEMORY`` bytes: a small export is answered as it is, a larger one
    (the whole bill ledger) is streamed from the file on disk, so the worker never holds it."""
    file = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY)  # noqa: SIM115 the response closes it
    try:
        write_workbook(file, sheets)
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size <= EXPORT_IN_MEMORY:
            response: HttpResponse = HttpResponse(file.read(), content_type=XLSX_TYPE)
            file.close()
        else:
            # Closed by the response when sent; the file has no name, so nothing is left on disk.
            response = FileResponse(file, content_type=XLSX_TYPE)
    except BaseException:
        file.close()
        raise
    response["Content-Disposition"] = content_disposition(filename)
    return response


def write_workbook(file: IO[bytes], sheets: Iterable[tuple[Any, Sequence[Column], Iterable[Any]]]) -> None:
    """The sheets into ``file``: typed cells (dates as dates, money as numbers with two places,
    text as text, never a formula), the header frozen and filtered, a totals row where columns
    are marked ``SUM``."""
    book = xlsx.Workbook(file)
    titles: set[str] = set()
    for title, columns, rows in sheets:
        name = _sheet_title(str(title))
        while name in titles:  # sheet names are unique in a workbook
            name = f"{name[:28]}~{len(titles)}"
        titles.add(name)
        _write_sheet(book.add_sheet(name, [str(column[0]) for column in columns]), columns, rows)
    book.close()


def _write_sheet(sheet: xlsx.Sheet, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    getters = [column[1] for column in columns]
    totals = [i for i, column in enumerate(columns) if column[2:] == (SUM,)]
    sums = dict.fromkeys(totals, Decimal(0))
    for row in rows:
        values = [get(row) for get in getters]
        for index in totals:
            sums[index] += values[index] or 0
        sheet.row(values)
    if totals:
        last: list[Any] = [None] * len(columns)
        last[0] = str(_("Total"))
        for index, total in sums.items():
            last[index] = total
        sheet.row(last, bold=True, filtered=False)


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
    page_ids_first = False  # see page_rows

    def annotate_page(self, queryset: QuerySet) -> QuerySet:
        """The register's columns beyond the model's own, for the rows of ``queryset`` only."""
        return queryset

    def rows_of(self, ids: Any) -> QuerySet:
        """The annotated rows whose ids are ``ids`` (a list or a sliced ``values("pk")``).

        Read through ``get_queryset()`` again, so a portal register's scope (its tenant) holds
        on the rows as well as on the ids.
        """
        return self.annotate_page(self.get_queryset().filter(pk__in=ids))

    def rows_statement_key(self) -> Hashable | None:
        """Everything besides the page's ids that ``rows_of`` depends on (the day, for a
        register of current occupancies; a portal register's tenant), for a register whose rows
        are flat (no ``select_related``): its rows statement is then compiled once per key
        (``RowsStatement``). ``None``, the default, compiles it on every request."""
        return None

    def page_rows(self, page: QuerySet) -> QuerySet | list:
        """One page's rows: its ids as a subquery (``LIMIT/OFFSET`` on the plain filtered rows),
        then the annotated rows of those ids in the same order. Still one SQL statement.

        With ``page_ids_first`` the ids are read first (one more, index-only query) and the
        rows fetched by a literal list of ids: a register whose rows join many tables
        otherwise lets PostgreSQL hash-join all of them for every row before the semi-join
        keeps the page's 25 (the renovation register: 45 ms against 1 ms at 10,000 rows).
        """
        ordering = page.query.order_by or (page.model._meta.ordering if page.query.default_ordering else ())
        if self.page_ids_first:
            return self.rows_of(list(page.values_list("pk", flat=True))).order_by(*ordering)
        key = self.rows_statement_key()
        if key is None:
            return self.rows_of(page.values("pk")).order_by(*ordering)
        statement = ROWS_STATEMENTS.get(
            (type(self), key, translation.get_language(), tuple(map(str, ordering)), page.db),
            lambda: self.rows_of(RawSQL(PAGE_IDS_MARKER, ())).order_by(*ordering),  # noqa: S611 a constant
        )
        try:
            sql, params = statement.with_ids(*page.values("pk").query.sql_with_params())
        except EmptyResultSet:  # an empty register's page: LIMIT 0, or a filter that matches nothing
            return []
        return list(page.model._default_manager.using(page.db).raw(sql, params))

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if isinstance(rows, QuerySet):
            if getattr(paginator, "estimated", False):
                # An estimated count (jinyuan.paginator) cannot find the last rows from the far
                # end: read forwards.
                sliced = queryset[max(page.start_index() - 1, 0) : page.end_index()]
            else:
                sliced = self.nearer_end(queryset, page, paginator.count)
            page.object_list = rows = self.page_rows(sliced)
        return paginator, page, rows, is_paginated

    @staticmethod
    def nearer_end(queryset: QuerySet, page: Any, count: int) -> QuerySet:
        """The page's slice of ``queryset``, read from whichever end of the ordering is nearer.

        An OFFSET walks every skipped row: the last page of 94,000 bills would walk them all.
        Past the middle, the same rows are the first ones of the reversed ordering, which the
        same index serves backwards; ``page_rows`` puts them back in the register's order. The
        registers' orderings end in the primary key, so both directions give the same rows.
        """
        bottom, top = max(page.start_index() - 1, 0), page.end_index()  # an empty register: 0, 0
        ordering = queryset.query.order_by or (queryset.model._meta.ordering if queryset.query.default_ordering else ())
        total = bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id")
        if not total or count < 2 or bottom <= count // 2:
            return queryset[bottom:top]
        return queryset.reverse()[count - top : count - bottom]

    def export_queryset(self, queryset: QuerySet) -> QuerySet:
        """The filtered rows with the columns the export prints: by default the page's own
        annotations (``annotate_page``). A register whose export needs other columns (joined
        in the same statement, never a query per row) overrides it."""
        return self.annotate_page(queryset)

    def export_rows(self, queryset: QuerySet) -> Iterator[Any]:
        """Every filtered row for Excel, in the register's order, read through one server-side
        cursor ``export_chunk`` rows at a time: the worker holds a chunk, never the register."""
        return self.export_queryset(queryset)[:EXPORT_LIMIT].iterator(chunk_size=self.export_chunk)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            return xlsx_response(self.export_name, self.export_columns, self.export_rows(qs))
        return super().get(request, *args, **kwargs)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for field in filterset.form.fields.values():
            if isinstance(field, ModelChoiceField):
                field.iterator = ChoicesInOneFetch
                if not isinstance(field, ModelMultipleChoiceField):
                    field.to_python = choice_from_fetched(field)
                field.widget.choices = field.choices  # the widget holds the iterator made at init
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
