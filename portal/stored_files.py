"""Sweeps stored files that no row names: what a process killed between writing an upload and committing its row
leaves behind (a scheduled job, see portal/scheduler.py).

A file is written before the row that names it commits, so a reader never meets a row without its file; the price
is an orphan when the commit never comes. The sweep notes each unnamed file the first time it sees one and deletes
it once it has stayed unnamed for GRACE, far longer than any transaction, so an upload in flight is never touched.
"""
import importlib
import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select as sql_select
from sqlmodel import Field, Session, SQLModel, select

from portal.clock import utcnow
from portal.settings import Settings
from portal.storage import DirectoryStorage, storage_for

log = logging.getLogger(__name__)
GRACE = timedelta(hours=1)
# Each folder of the file storage, the column whose values name the files in it ("module:Model.field"), and the
# part of the key those values leave out. Files anywhere else are not the sweep's to judge.
STORED_FILES: tuple[tuple[str, str, str], ...] = (
    ("resumes/", "portal.resumes.models:Resume.pdf_file", ""),
    ("applications/", "portal.applications.models:Application.resume_pdf_file", ""),
    ("ledger/", "portal.ledger.models:LedgerDocument.stored_name", "ledger/"),
    ("subsidies/", "portal.subsidies.models:SubsidyDocument.storage_key", ""),
    ("notices/", "portal.notices.models:NoticeAttachment.storage_key", ""),
    ("competitions/", "portal.competitions.models:CompetitionEntry.deck_key", ""),
)


class UnnamedFile(SQLModel, table=True):
    """A stored file that no row named when the sweep last looked."""

    key: str = Field(primary_key=True, max_length=300)
    first_seen: datetime = Field(default_factory=utcnow)


def _column(dotted: str):
    module_name, _, attribute = dotted.partition(":")
    model_name, _, field_name = attribute.partition(".")
    return getattr(getattr(importlib.import_module(module_name), model_name), field_name)


def _named(session: Session) -> set[str]:
    names: set[str] = set()
    for _, dotted, prefix in STORED_FILES:
        column = _column(dotted)
        names.update(prefix + value for value in session.exec(sql_select(column).where(column.is_not(None))).scalars())
    return names


def _partial_writes(storage, now) -> list[Path]:
    """Half-written files a killed DirectoryStorage.write left beside their target, older than GRACE."""
    if not isinstance(storage, DirectoryStorage) or not storage.root.exists():
        return []
    cutoff = (now - GRACE).timestamp()
    return [path for path in storage.root.rglob(".partial-*") if path.stat().st_mtime < cutoff]


def sweep_orphans(session: Session, *, settings: Settings, search=None) -> int:
    """Deletes the files that stayed unnamed for GRACE; how many went."""
    storage = storage_for(settings)
    now = utcnow()
    named = _named(session)
    unnamed = {key for folder, _, _ in STORED_FILES for key in storage.keys(folder) if key not in named}
    noted = {row.key: row for row in session.exec(select(UnnamedFile))}
    removed = 0
    for key in unnamed:
        row = noted.get(key)
        if row is None:
            session.add(UnnamedFile(key=key, first_seen=now))
        elif row.first_seen <= now - GRACE:
            storage.delete(key)
            session.delete(row)
            removed += 1
    for key, row in noted.items():
        if key not in unnamed:  # named since, or gone
            session.delete(row)
    for path in _partial_writes(storage, now):
        path.unlink(missing_ok=True)
        removed += 1
    session.commit()
    if removed:
        log.info("removed %s stored files that no row names", removed)
    return removed
