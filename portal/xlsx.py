"""Spreadsheets in and out: one workbook writer for every export, one reader for every import.

An import is parsed with limits on rows, cells, unpacked size and time, and stops with a clear message at the
first one it meets: a small compressed file can hold hundreds of thousands of rows. Call `read_records` from a
plain `def` route or a service (FastAPI's threadpool), never from `async def` code: parsing takes the CPU.

    rows = xlsx.read_records(upload.filename, content, aliases={"邮箱": "email"})
    return xlsx.download(xlsx.workbook([xlsx.Sheet("名单", ["Name"], [["王丽"]])]), "list.xlsx")
"""
import csv
import io
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from starlette.responses import Response

from portal.errors import Invalid
from portal.localtime import format_cell

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- out -------------------------------------------------------------------------------------------------------------
@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """An xlsx file with one sheet per Sheet, the header row frozen; times and days in the portal's one format."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        page.append(list(sheet.header))
        for row in sheet.rows:
            page.append([format_cell(value) for value in row])
        page.freeze_panes = "A2"
        for index, width in enumerate(sheet.widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data: bytes, filename: str) -> Response:
    """An export as an attachment that no cache keeps (exports hold personal data)."""
    return Response(data, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


# ---- in --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    rows: int = 5_000
    cells: int = 100_000
    seconds: float = 10.0
    unpacked_bytes: int = 50 * 1024 * 1024
    columns: int = 50

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(rows=settings.import_max_rows, cells=settings.import_max_cells, seconds=settings.import_max_seconds)


def read_rows(filename: str, content: bytes, *, limits: Limits = Limits()) -> list[list[str]]:
    """The first sheet of an xlsx file, or a csv file (UTF-8 or GB18030), as rows of stripped text; blank rows dropped."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(content, limits)
    elif name.endswith(".csv"):
        raw = csv.reader(io.StringIO(_decoded(content)))
    else:
        raise Invalid("Upload an xlsx or csv file.", field="file")
    rows = _capped(raw, limits)
    if not rows:
        raise Invalid("The file is empty.", field="file")
    return rows


def read_records(
    filename: str, content: bytes, *, aliases: Mapping[str, str] | None = None, limits: Limits = Limits()
) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows as dicts): the first row names the columns, through `aliases` (e.g. 邮箱 -> email) or lower-cased."""
    rows = read_rows(filename, content, limits=limits)
    header = [(aliases or {}).get(title, title.lower()) for title in rows[0]]
    return header, [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:]]


def _xlsx_rows(content: bytes, limits: Limits) -> Iterator[Sequence]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True) if unpacked <= limits.unpacked_bytes else None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Invalid("This is not a readable xlsx file.", field="file") from error
    if book is None:
        raise Invalid("The file is too large once unpacked (at most %(mb)s MB).", field="file",
                      mb=limits.unpacked_bytes // (1024 * 1024))
    try:
        yield from book.worksheets[0].iter_rows(values_only=True, max_col=limits.columns)
    finally:
        book.close()


def _decoded(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("This is not a readable csv file.", field="file")


def _capped(raw: Iterable[Sequence], limits: Limits) -> list[list[str]]:
    deadline = time.monotonic() + limits.seconds
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in raw:
            if time.monotonic() > deadline:
                raise Invalid("The file took too long to read (more than %(seconds)s seconds).", field="file",
                              seconds=int(limits.seconds))
            values = ["" if value is None else str(value).strip() for value in row[:limits.columns]]
            while values and not values[-1]:
                values.pop()
            if not values:
                continue
            cells += len(values)
            if len(rows) >= limits.rows + 1 or cells > limits.cells:  # +1: the header
                raise Invalid("The file has too many rows: at most %(rows)s rows of %(columns)s columns per file.",
                              field="file", rows=limits.rows, columns=limits.columns)
            rows.append(values)
    except csv.Error as error:
        raise Invalid("This is not a readable csv file.", field="file") from error
    return rows
