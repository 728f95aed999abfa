"""Spreadsheet files for ``core.io`` handlers: CSV and XLSX writers and readers.

Writers stream: rows are written one at a time (xlsxwriter in ``constant_memory``
mode, CSV in chunks), so memory does not grow with the number of rows.

- CSV: ``;`` separated, UTF-8 with BOM, the handler's column names as header.
- XLSX: one sheet per handler with a bold frozen header, an auto-filter, widths that
  fit the column, a drop-down for columns with allowed values (from a hidden sheet
  "Keuzelijsten") and a sheet "Toelichting" that explains every column. Line breaks are
  written as Excel writes them (LF only, the cell wraps its text), never as "_x000D_".

Formula injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return is never a formula. In CSV it gets a leading apostrophe (which
the readers remove again); in XLSX it is written as a text cell with Excel's
"quote prefix" (xlsxwriter never writes a formula from ``write_string``). XML
special and control characters are escaped by xlsxwriter.

Readers accept XLSX (read with python-calamine) and CSV with ``;`` or ``,``,
UTF-8 with or without BOM or cp1252. A file of another kind, an empty file, a zip
bomb or a file over the size or row limit is refused with ``UploadRejected`` and a
Dutch message, before anything is parsed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from core.files import UploadRejected
from core.io import IOHandler

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPLANATION_SHEET = "Toelichting"
LISTS_SHEET = "Keuzelijsten"
ERROR_COLUMN = "Fouten"

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_ZIP_RATIO = 200  # uncompressed / compressed for the whole archive


# --- values ------------------------------------------------------------------------------
def neutralise(text: str) -> str:
    """A text that no spreadsheet program starts as a formula (for CSV)."""
    return "'" + text if text.startswith(TRIGGERS) else text


def restore(text: str) -> str:
    """Undo ``neutralise`` when reading back."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in TRIGGERS else text


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# --- CSV -----------------------------------------------------------------------------------
def write_csv(handler: IOHandler, rows: Iterable[dict], out: BinaryIO, progress: Callable | None = None,
              extra: tuple[str, ...] = ()) -> int:
    """Write ``rows`` as CSV to ``out``; return the number of rows."""
    names = handler.column_names + extra
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff".encode("utf-8"))
    writer.writerow(names)
    count = 0
    for row in rows:
        writer.writerow([neutralise(text_of(row.get(name))) for name in names])
        count += 1
        if count % 2000 == 0:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
            if progress is not None:
                progress(2000)
    out.write(buffer.getvalue().encode("utf-8"))
    if progress is not None:
        progress(count % 2000)
    return count


# --- XLSX ----------------------------------------------------------------------------------
def _width(column) -> int:
    if column.width:
        return column.width
    base = {"date": 12, "integer": 10, "boolean": 8, "url": 40}.get(column.type, 24)
    if column.allowed_values:
        base = max(base, min(40, max(len(v) for v in column.allowed_values) + 4))
    return max(base, min(40, len(column.name) + 4))


@dataclass
class _Formats:
    """The cell formats of one workbook."""

    bold: Any
    date: Any
    quoted: Any
    wrap: Any
    quoted_wrap: Any
    error: Any

    @classmethod
    def add_to(cls, book) -> _Formats:
        return cls(
            bold=book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
            date=book.add_format({"num_format": "yyyy-mm-dd"}),
            quoted=book.add_format({"quote_prefix": True}),
            wrap=book.add_format({"text_wrap": True, "valign": "top"}),
            quoted_wrap=book.add_format({"quote_prefix": True, "text_wrap": True, "valign": "top"}),
            error=book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        )


def write_xlsx(sheets: list[tuple[IOHandler, Iterable[dict]]], out, progress: Callable | None = None,
               extra: dict | None = None) -> int:
    """Write one sheet per handler, "Toelichting" and hidden "Keuzelijsten" to ``out`` (path or file).

    ``extra`` maps a handler name to extra column names appended to that sheet (used for
    the error column of an error report). Returns the number of data rows.
    """
    import xlsxwriter

    extra = extra or {}
    book = xlsxwriter.Workbook(out, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "in_memory": False,
    })
    formats = _Formats.add_to(book)

    data_sheets = [(h, rows, book.add_worksheet(h.sheet or h.label[:31])) for h, rows in sheets]
    explanation = book.add_worksheet(EXPLANATION_SHEET)
    lists = book.add_worksheet(LISTS_SHEET)
    lists.hide()

    list_ranges = _write_lists(lists, data_sheets)
    _write_explanation(explanation, data_sheets, formats)

    total = 0
    for handler, rows, sheet in data_sheets:
        total += _write_data_sheet(sheet, handler, rows, tuple(extra.get(handler.name, ())), formats, list_ranges,
                                   progress)
    book.close()
    return total


def _write_lists(lists, data_sheets) -> dict[tuple[str, ...], str]:
    """Fill the drop-down lists sheet: one column per distinct list of allowed values.

    Returns the cell range of each list, keyed by its values.
    """
    from xlsxwriter.utility import xl_col_to_name

    list_ranges: dict[tuple[str, ...], str] = {}
    list_columns: dict[int, list[str]] = {}
    for handler, _, _ in data_sheets:
        for column in handler.columns:
            values = column.allowed_values
            if values and not column.read_only and values not in list_ranges:
                index = len(list_ranges)
                list_ranges[values] = (f"='{LISTS_SHEET}'!${xl_col_to_name(index)}$1:"
                                       f"${xl_col_to_name(index)}${len(values)}")
                list_columns[index] = list(values)
    longest = max((len(v) for v in list_columns.values()), default=0)
    for r in range(longest):  # row by row: the workbook streams (constant_memory)
        for index, values in list_columns.items():
            if r < len(values):
                lists.write_string(r, index, values[r])
    return list_ranges


_TYPE_NAMES = {"text": "tekst", "integer": "geheel getal", "date": "datum (jjjj-mm-dd)", "boolean": "ja of nee",
               "url": "webadres"}


def _write_explanation(explanation, data_sheets, formats: _Formats) -> None:
    """Fill the explanation sheet: one row per column of every data sheet."""
    headers = ("Blad", "Kolom", "Soort waarde", "Verplicht", "Toegestane waarden", "Uitleg")
    for c, (name, width) in enumerate(zip(headers, (22, 30, 14, 10, 40, 80), strict=True)):
        explanation.set_column(c, c, width, formats.wrap if c in (4, 5) else None)
        explanation.write_string(0, c, name, formats.bold)
    explanation.freeze_panes(1, 0)
    r = 1
    for handler, _, sheet in data_sheets:
        for column in handler.columns:
            help_text = column.help + (" Alleen ter informatie: wijzigingen worden bij importeren genegeerd."
                                       if column.read_only else "")
            values = (sheet.name, column.name, _TYPE_NAMES[column.type], "ja" if column.required else "nee",
                      ", ".join(column.allowed_values or ()), help_text.strip())
            for c, value in enumerate(values):
                explanation.write_string(r, c, value)
            r += 1
    explanation.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


def _write_data_sheet(sheet, handler: IOHandler, rows: Iterable[dict], extras: tuple[str, ...], formats: _Formats,
                      list_ranges: dict[tuple[str, ...], str], progress: Callable | None) -> int:
    """Write one handler's sheet: header, rows (streamed), filter and drop-downs. Returns the number of rows."""
    columns = handler.columns
    _write_data_header(sheet, columns, extras, formats)
    n = _write_data_rows(sheet, columns, rows, extras, formats, progress)
    sheet.autofilter(0, 0, max(n, 1), len(columns) + len(extras) - 1)
    _add_drop_downs(sheet, columns, list_ranges)
    return n


def _write_data_header(sheet, columns, extras: tuple[str, ...], formats: _Formats) -> None:
    for c, column in enumerate(columns):
        sheet.set_column(c, c, _width(column), formats.date if column.type == "date" else None)
    for c in range(len(columns), len(columns) + len(extras)):
        sheet.set_column(c, c, 60)
    sheet.freeze_panes(1, 0)
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.name, formats.bold)
    for c, name in enumerate(extras, start=len(columns)):
        sheet.write_string(0, c, name, formats.bold)


def _write_data_rows(sheet, columns, rows: Iterable[dict], extras: tuple[str, ...], formats: _Formats,
                     progress: Callable | None) -> int:
    """Write the rows one at a time, reporting progress every 2000 rows. Returns the number of rows."""
    n = 0
    writers = [(c, column.name, _cell_writer(sheet, column, formats)) for c, column in enumerate(columns)]
    for n, row in enumerate(rows, start=1):
        for c, name, write in writers:
            value = row.get(name)
            if value is not None and value != "":
                write(n, c, value)
        for c, name in enumerate(extras, start=len(columns)):
            if row.get(name):
                sheet.write_string(n, c, line_breaks(str(row[name])), formats.error)
        if progress is not None and n % 2000 == 0:
            progress(2000)
    if progress is not None:
        progress(n % 2000)
    return n


def _add_drop_downs(sheet, columns, list_ranges: dict[tuple[str, ...], str]) -> None:
    for c, column in enumerate(columns):
        if column.allowed_values and not column.read_only:
            sheet.data_validation(1, c, 1_048_575, c, {
                "validate": "list", "source": list_ranges[column.allowed_values],
                "error_title": "Ongeldige waarde", "error_type": "stop",
                "error_message": f"Kies een waarde uit de lijst voor '{column.name}'."[:255],
                "input_title": column.name[:32], "input_message": (column.help or column.name)[:255],
            })


def line_breaks(text: str) -> str:
    """``text`` with Excel's line breaks: LF only (a CR would be written as "_x000D_")."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cell_writer(sheet, column, formats: _Formats) -> Callable[[int, int, Any], None]:
    """The function that writes a non-empty value of ``column``, chosen once per column by its
    type (the export writes every cell: no type tests per cell where the column says it)."""
    write_string, write_datetime, date_format = sheet.write_string, sheet.write_datetime, formats.date

    def write_any(r: int, c: int, value: Any) -> None:
        _write_cell(sheet, r, c, value, formats)

    if column.type == "date":
        def write_date(r: int, c: int, value: Any) -> None:
            if type(value) is dt.date:
                write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
            else:
                write_any(r, c, value)
        return write_date
    if column.type in ("text", "url"):
        plain, wrap, quoted, quoted_wrap = None, formats.wrap, formats.quoted, formats.quoted_wrap

        def write_text(r: int, c: int, value: Any) -> None:
            if type(value) is not str:
                write_any(r, c, value)
                return
            quoted_text = value.startswith(TRIGGERS)  # then a text cell, never a formula
            if "\r" in value:
                value = line_breaks(value)
            if quoted_text:
                write_string(r, c, value, quoted_wrap if "\n" in value else quoted)
            else:
                write_string(r, c, value, wrap if "\n" in value else plain)
        return write_text
    return write_any


def _write_cell(sheet, r: int, c: int, value: Any, formats: _Formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(r, c, "ja" if value else "nee")
    elif isinstance(value, int):
        sheet.write_number(r, c, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value, formats.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), formats.date)
    else:
        text = str(value)
        quoted = text.startswith(TRIGGERS)  # then a text cell, never a formula
        text = line_breaks(text)
        if "\n" in text:  # several lines: shown as such, from the top of the cell
            sheet.write_string(r, c, text, formats.quoted_wrap if quoted else formats.wrap)
        else:
            sheet.write_string(r, c, text, formats.quoted if quoted else None)


# --- readers -------------------------------------------------------------------------------
@dataclass
class Table:
    """One sheet of an uploaded file: its column names and rows (dicts keyed by column name)."""

    name: str | None
    header: list[str]
    raw: list[list]  # the cells of each data row, in header order

    def __len__(self) -> int:
        return len(self.raw)

    @property
    def rows(self) -> Iterator[dict]:
        """The rows as dicts keyed by column name, made one at a time."""
        pairs = [(i, name) for i, name in enumerate(self.header) if name]
        for values in self.raw:
            n = len(values)
            yield {name: (values[i] if i < n else None) for i, name in pairs}


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def sniff(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """'xlsx' or 'csv'; refuses empty, too large and other files with a Dutch message."""
    if not data or not data.strip():
        raise UploadRejected("Het bestand is leeg.")
    if len(data) > max_bytes:
        raise UploadRejected(f"Het bestand is te groot: maximaal {_size(max_bytes)}.")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected("Dit is een oud Excel-bestand (.xls). Sla het op als .xlsx of .csv en probeer het "
                             "opnieuw.")
    if data.startswith(b"%PDF"):
        raise UploadRejected("Dit is een PDF-bestand. Upload een Excel-bestand (.xlsx) of CSV-bestand (.csv).")
    head = data[:4096]
    if b"\x00" in head or data.startswith((b"\x1f\x8b", b"PK", b"\x89PNG", b"\xff\xd8", b"GIF8", b"Rar!")):
        raise UploadRejected("Dit is geen Excel- of CSV-bestand. Upload een .xlsx- of .csv-bestand.")
    return "csv"


def check_zip(data: bytes, max_unzipped: int = MAX_UNZIPPED) -> None:
    """Refuse a damaged zip, a zip bomb or a zip that is no workbook, before parsing it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected("Het bestand is beschadigd: het kan niet als Excel-bestand worden gelezen.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRejected("Het bestand bevat te veel onderdelen voor een Excel-bestand.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unzipped or unpacked > MAX_ZIP_RATIO * max(len(data), 1) + 10 * 1024 * 1024:
        raise UploadRejected(f"Het bestand is uitgepakt te groot (meer dan {_size(min(unpacked, max_unzipped))}). "
                             "Upload een kleiner bestand.")
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise UploadRejected("Dit is geen Excel-werkmap (.xlsx). Upload een .xlsx- of .csv-bestand.")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


def _clean_row(raw: list) -> list:
    """``_clean`` of every cell, and None for an empty one (inlined: this runs for every cell of an import)."""
    out = []
    append = out.append
    for value in raw:
        kind = type(value)
        if kind is str:
            if value == "":
                value = None
            elif value[0] == "'":
                value = restore(value)
        elif kind is dt.datetime and value.time() == MIDNIGHT:
            value = value.date()
        append(value)
    return out


MIDNIGHT = dt.time(0, 0)


def _rows(header: list[str], raw_rows: Iterable[list], max_rows: int, sheet: str | None) -> list[list]:
    rows = []
    width = len(header)
    for raw in raw_rows:
        if len(rows) >= max_rows:
            where = f" op blad '{sheet}'" if sheet else ""
            raise UploadRejected(f"Het bestand heeft te veel rijen{where}: maximaal {max_rows:,}.".replace(",", "."))
        # cells right of the header have no column: ignored
        rows.append(_clean_row(raw[:width]))
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # trailing empty lines
    return rows


def _header(raw: list) -> list[str]:
    header = [(str(v).strip() if v is not None else "") for v in raw]
    while header and header[-1] == "":
        header.pop()
    return header


def read_xlsx(data: bytes, max_rows: int = MAX_ROWS, max_unzipped: int = MAX_UNZIPPED,
              skip: tuple[str, ...] = (EXPLANATION_SHEET, LISTS_SHEET)) -> list[Table]:
    """Every sheet except ``skip`` as a ``Table`` (python-calamine)."""
    from python_calamine import CalamineWorkbook

    check_zip(data, max_unzipped)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = []
        for name in book.sheet_names:
            if name in skip:
                continue
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > max_rows + 1:
                raise UploadRejected(f"Het bestand heeft te veel rijen op blad '{name}': maximaal "
                                     f"{max_rows:,}.".replace(",", "."))
            raw = iter(sheet.iter_rows())
            first = next(raw, None)
            if first is None:
                continue
            header = _header(first)
            tables.append(Table(name, header, _rows(header, raw, max_rows, name)))
        return tables
    except UploadRejected:
        raise
    except Exception:  # calamine raises its own error types for damaged content
        raise UploadRejected("Het Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx en probeer "
                             "het nog eens.") from None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or cp1252 (Excel's "CSV" on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadRejected("De tekens in het bestand worden niet herkend. Sla het op als CSV in UTF-8.") from None


def read_csv(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    """A CSV with ``;`` or ``,`` as separator (whichever the header uses most)."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        first = next(reader, None)
        if first is None:
            raise UploadRejected("Het bestand is leeg.")
        header = _header(first)
        rows = _rows(header, ([v if v != "" else None for v in raw] for raw in reader), max_rows, None)
    except csv.Error:
        raise UploadRejected("Het CSV-bestand kan niet worden gelezen: controleer de aanhalingstekens.") from None
    return Table(None, header, rows)


def read_upload(data: bytes, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> tuple[str, list[Table]]:
    """The kind ('xlsx' or 'csv') and the tables of an uploaded file."""
    kind = sniff(data, max_bytes)
    if kind == "xlsx":
        tables = read_xlsx(data, max_rows)
        if not tables:
            raise UploadRejected("De werkmap bevat geen bladen met gegevens.")
        return kind, tables
    return kind, [read_csv(data, max_rows)]
