"""Excel imports (导入): an uploaded sheet read against declared columns, one form per row, every
row's errors collected (row number, column, message), and all rows saved or none.

An app declares its sheet once (``Sheet``: the columns, each a field of a plain Django form, with
a Chinese header and an example) and gets from it the template to download (a header row, an
example row, a sheet of instructions) and ``import_rows(sheet, upload, save)``: every row is
checked by the form first; only when no row has an error are the rows handed to ``save`` one by
one, inside one transaction, and an error ``save`` raises for any row (a rule of the service: a
card number already live) rolls back the rows saved before it. So a list is never half imported.

Headers are matched by their text in any of the site's languages (a template downloaded in
Chinese may be uploaded by a clerk who works in English), in any order; extra columns are
ignored, a missing required column is one error. Used by access passes; meter readings next.
"""

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .lists import XLSX_TYPE, content_disposition
from .uploads import CheckedFileField, FileType

XLSX = FileType("xlsx", XLSX_TYPE, (b"PK\x03\x04",))
# A list is typed by a person: a few hundred rows. More is a mistake (or an attack on memory).
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the form field it fills, its header and an example value."""

    field: str
    header: str | Promise
    example: Any = ""
    note: str | Promise = ""


@dataclass(frozen=True)
class RowError:
    row: int  # the row number Excel shows (the header is row 1)
    column: str  # the column's header; "" for the sheet or the row as a whole
    message: str


class ImportFailed(Exception):
    """Nothing was saved; ``errors`` says why, row by row."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = list(errors)


@dataclass
class Sheet:
    columns: Sequence[Column]
    form_class: type[forms.Form]
    title: str | Promise = ""
    max_rows: int = MAX_ROWS
    # Extra lines for the instructions sheet of the template.
    instructions: Sequence[str | Promise] = field(default_factory=tuple)

    def header_of(self, name: str) -> str:
        for column in self.columns:
            if column.field == name:
                return str(column.header)
        return ""

    # --- the template ----------------------------------------------------------------------

    def template(self) -> bytes:
        """A workbook to fill in: bold headers, one example row, the instructions beside."""
        wb = Workbook()
        ws = wb.active
        ws.title = (str(self.title) or "Sheet1")[:31]
        bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
        for index, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=HEADER_ROW, column=index, value=str(column.header))
            cell.font, cell.fill = bold, grey
            example = column.example
            ws.cell(
                row=HEADER_ROW + 1, column=index, value=example if not isinstance(example, Promise) else str(example)
            )
            # Text columns stay text: a mobile number must not become 1.38E+10.
            ws.cell(row=HEADER_ROW + 1, column=index).number_format = "@"
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(
                12, len(str(column.header)) * 2 + 4
            )
        ws.freeze_panes = "A2"
        notes = wb.create_sheet(str(_("Instructions"))[:31])
        notes.append([str(_("Delete the example row, write one row per person, keep the header row."))])
        rule = _("At most %(n)d rows. Nothing is imported until every row is right; errors name row and column.")
        notes.append([rule % {"n": self.max_rows}])
        for line in self.instructions:
            notes.append([str(line)])
        notes.append([])
        for column in self.columns:
            notes.append([str(column.header), str(column.note)])
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 80
        buf = BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def template_response(self, filename: str | Promise) -> HttpResponse:
        response = HttpResponse(self.template(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(filename)
        return response

    # --- reading ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        """Header text in any site language -> field name."""
        names: dict[str, str] = {}
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                for column in self.columns:
                    names[_normal(str(column.header))] = column.field
        return names

    def read(self, upload: Any, form: forms.Form | None = None) -> list[tuple[int, dict[str, Any]]]:
        """The sheet's rows as (row number, {field: value}); raises ImportFailed when the file
        cannot be read or its header lacks a required column."""
        if upload.size > MAX_BYTES:
            raise ImportFailed(
                [RowError(0, "", _("The file is too large; at most %(mb)d MB.") % {"mb": MAX_BYTES // 1048576})]
            )
        try:
            upload.seek(0)
            wb = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
            raise ImportFailed([RowError(0, "", _("This is not an Excel .xlsx file that can be read."))]) from None
        try:
            ws = wb.worksheets[0]
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None) or ()
            known = self._headers()
            positions: dict[int, str] = {}
            for index, text in enumerate(header):
                name = known.get(_normal(str(text or "")))
                if name and name not in positions.values():
                    positions[index] = name
            form = form or self.form_class()
            missing = [
                str(c.header)
                for c in self.columns
                if c.field not in positions.values() and form.fields[c.field].required
            ]
            if missing:
                raise ImportFailed(
                    [
                        RowError(
                            HEADER_ROW,
                            "",
                            _("Columns missing from the header row: %(cols)s") % {"cols": "、".join(missing)},
                        )
                    ]
                )
            out = []
            for number, values in enumerate(rows, start=HEADER_ROW + 1):
                data = {name: _value(values[i]) if i < len(values) else "" for i, name in positions.items()}
                if not any(str(v).strip() for v in data.values()):
                    continue  # an empty line between rows
                out.append((number, data))
                if len(out) > self.max_rows:
                    raise ImportFailed(
                        [RowError(number, "", _("More than %(n)d rows: split the list.") % {"n": self.max_rows})]
                    )
        finally:
            wb.close()
        if not out:
            raise ImportFailed([RowError(0, "", _("The sheet has no rows below its header."))])
        return out

    def check(self, upload: Any, **form_kwargs: Any) -> list[tuple[int, forms.Form]]:
        """A bound form per row; ImportFailed with every row's errors when any is invalid."""
        rows = self.read(upload, self.form_class(**form_kwargs))
        bound = [(number, self.form_class(data=data, **form_kwargs)) for number, data in rows]
        errors = [error for number, form in bound if not form.is_valid() for error in self.form_errors(number, form)]
        if errors:
            raise ImportFailed(errors)
        return bound

    def form_errors(self, number: int, form: forms.Form) -> list[RowError]:
        return [
            RowError(number, self.header_of(name) if name != forms.forms.NON_FIELD_ERRORS else "", str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]

    def error_of(self, number: int, exc: ValidationError) -> list[RowError]:
        if hasattr(exc, "error_dict"):
            return [
                RowError(number, self.header_of(name), str(message))
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        return [RowError(number, "", str(message)) for message in exc.messages]


def import_rows(
    sheet: Sheet,
    upload: Any,
    save: Callable[[int, dict[str, Any]], Any],
    *,
    form_kwargs: dict[str, Any] | None = None,
) -> list[Any]:
    """Every row checked, then saved by ``save(row_number, cleaned_data)`` in one transaction:
    all rows or none. Returns what ``save`` returned for each row; raises ImportFailed with every
    error found (the form's, then the service's for each row) when anything is wrong."""
    bound = sheet.check(upload, **(form_kwargs or {}))
    saved: list[Any] = []
    errors: list[RowError] = []
    with transaction.atomic():
        for number, form in bound:
            try:
                # A savepoint per row: one refused row leaves the transaction usable, so the
                # remaining rows are still checked and every error is reported at once.
                with transaction.atomic():
                    saved.append(save(number, form.cleaned_data))
            except ValidationError as exc:
                errors.extend(sheet.error_of(number, exc))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return saved


class SheetUploadForm(forms.Form):
    file = CheckedFileField(
        label=gettext_lazy("Excel list (.xlsx)"),
        allowed=(XLSX,),
        help_text=gettext_lazy("The template filled in: one row per person."),
    )


def _normal(text: str) -> str:
    return "".join(text.split()).replace("*", "").lower()


def _value(value: Any) -> Any:
    """A cell as a form expects it: text stripped, whole numbers without ".0" (a mobile number
    typed into a number cell), dates as dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return str(value).strip()
