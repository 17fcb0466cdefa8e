"""Keeps the index in step with the database: drains the outbox in bulk, rebuilds indexes, reports drift.

The outbox row is written in the same transaction as the change (search/outbox.py), and deleted only after the
index accepted the change. When the engine is unreachable the rows stay, with their attempt count and last error,
and the next run (the scheduler calls `drain_outbox_job` every few minutes) catches up.
"""
import logging
from dataclasses import dataclass, field

from datetime import timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from portal.audit.models import AuditEntry
from portal.audit.service import record
from portal.clock import utcnow
from portal.positions.models import Position
from portal.resumes.models import Resume
from search.backend import SearchBackend, SearchUnavailable
from search.documents import ENTITIES, POSITION, load_docs
from search.models import SearchOutbox
from search.outbox import enqueue
from search.schemas import DriftReport

log = logging.getLogger(__name__)
BATCH_SIZE = 500
DRIFT_CHECKED = "search.drift_checked"
DRIFT_REPAIRED = "search.drift_repaired"
# Ids named in a repair's audit entry; the counts are always complete.
LOGGED_IDS = 100


@dataclass
class DrainReport:
    processed: int = 0  # outbox rows settled (indexed or deleted) and removed
    failed: int = 0  # rows kept for a later attempt
    error: str | None = None  # set when the engine was unreachable and the run stopped
    entities: dict[str, int] = field(default_factory=dict)


def drain_outbox(session: Session, search: SearchBackend, *, batch_size: int = BATCH_SIZE,
                 refresh: bool = False) -> DrainReport:
    report = DrainReport()
    after_id = 0
    while True:
        statement = select(SearchOutbox).where(SearchOutbox.id > after_id).order_by(SearchOutbox.id).limit(batch_size)
        if session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        rows = list(session.exec(statement).all())
        if not rows:
            return report
        after_id = rows[-1].id
        if not search.keeps_index:
            # The embedded backend reads the database itself: there is nothing to send.
            for row in rows:
                session.delete(row)
            search.refresh()
            report.processed += len(rows)
            session.commit()
            continue
        failed: dict[tuple[str, int], str] = {}
        try:
            for entity in ENTITIES:
                ids = {r.entity_id for r in rows if r.entity == entity}
                if not ids:
                    continue
                docs = load_docs(session, entity, ids)
                indexed = search.index(entity, list(docs.values()), refresh=refresh)
                deleted = search.delete(entity, sorted(ids - docs.keys()), refresh=refresh)
                for entity_id, error in {**indexed.failed, **deleted.failed}.items():
                    failed[(entity, entity_id)] = error
                report.entities[entity] = report.entities.get(entity, 0) + len(ids)
        except SearchUnavailable as error:
            message = str(error)[:1000]
            for row in rows:
                row.attempts += 1
                row.last_error = message
                session.add(row)
            session.commit()
            report.failed += len(rows)
            report.error = message
            log.warning("search outbox: %d rows kept, engine unavailable: %s", len(rows), message)
            return report
        for row in rows:
            if row.entity not in ENTITIES:
                log.warning("search outbox: dropping row %s of unknown entity %r", row.id, row.entity)
                session.delete(row)
            elif (row.entity, row.entity_id) in failed:
                row.attempts += 1
                row.last_error = failed[(row.entity, row.entity_id)][:1000]
                session.add(row)
                report.failed += 1
            else:
                session.delete(row)
                report.processed += 1
        session.commit()


def drain_outbox_job(session: Session, *, settings, search: SearchBackend) -> None:
    """Scheduled: see portal/scheduler.py."""
    report = drain_outbox(session, search)
    if report.processed or report.failed:
        log.info("search outbox drained: %s", report)


def reindex(session: Session, search: SearchBackend, entities: tuple[str, ...] = ENTITIES) -> dict[str, str]:
    """Builds new indexes from the database and swaps the aliases; then re-sends what changed meanwhile."""
    names = {}
    for entity in entities:
        started = utcnow()
        docs = load_docs(session, entity)
        names[entity] = search.reindex(entity, docs.values())
        # Changes drained into the old index while the new one was loading would otherwise be lost.
        model = Position if entity == POSITION else Resume
        key = Position.id if entity == POSITION else Resume.id
        changed = session.exec(sa_select(key).where(model.updated_at >= started)).scalars().all()
        for entity_id in changed:
            enqueue(session, entity, entity_id)
        session.commit()
    drain_outbox(session, search)
    return names


def check(session: Session, search: SearchBackend, entity: str) -> DriftReport:
    wanted = {i: d["doc_hash"] for i, d in load_docs(session, entity).items()}
    have = search.indexed_hashes(entity)
    return DriftReport(
        entity=entity,
        missing=sorted(wanted.keys() - have.keys()),
        stale=sorted(i for i in wanted.keys() & have.keys() if wanted[i] != have[i]),
        extra=sorted(have.keys() - wanted.keys()),
    )


def repair(session: Session, search: SearchBackend, report: DriftReport) -> DrainReport:
    """Queues every drifted document and drains the outbox."""
    for entity_id in report.missing + report.stale + report.extra:
        enqueue(session, report.entity, entity_id)
    session.commit()
    return drain_outbox(session, search)


def drift_check_job(session: Session, *, settings, search: SearchBackend) -> None:
    """Scheduled: compares the index with the database and repairs what drifted, each repair in the audit log.

    It runs once per `search_drift_check_seconds` across all portal processes: the last check's audit entry says
    when it last ran.
    """
    if not search.keeps_index or not _drift_check_due(session, settings.search_drift_check_seconds):
        return
    summary = {}
    for entity in ENTITIES:
        report = check(session, search, entity)
        summary[entity] = {"missing": len(report.missing), "stale": len(report.stale), "extra": len(report.extra)}
        if not report.clean:
            result = repair(session, search, report)
            log.warning("search drift repaired in %s: %s; re-sent %d, failed %d",
                        entity, summary[entity], result.processed, result.failed)
            record(session, actor_id=None, action=DRIFT_REPAIRED, object_type="search_index", object_id=entity,
                   detail={**{kind: getattr(report, kind)[:LOGGED_IDS] for kind in ("missing", "stale", "extra")},
                           "counts": summary[entity], "repaired": result.processed, "failed": result.failed})
    record(session, actor_id=None, action=DRIFT_CHECKED, object_type="search_index", object_id="all", detail=summary)
    session.commit()


def _drift_check_due(session: Session, interval_seconds: int) -> bool:
    since = utcnow() - timedelta(seconds=interval_seconds)
    recent = select(AuditEntry.id).where(AuditEntry.action == DRIFT_CHECKED, AuditEntry.created_at > since)
    return session.exec(recent.limit(1)).first() is None
