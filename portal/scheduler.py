"""Periodic jobs inside the service: closing lapsed positions, draining the search outbox, ledger top-ups.

Every job is idempotent, so several portal processes may run them side by side.
"""
import asyncio
import importlib
import logging

from fastapi import FastAPI
from sqlmodel import Session

log = logging.getLogger(__name__)

# "module:function"; each takes (session, *, settings, search) and commits its own work.
SCHEDULED_JOBS: tuple[str, ...] = (
    "portal.positions.service:close_lapsed_positions",
    "search.indexer:drain_outbox_job",
    "search.indexer:drift_check_job",
    "portal.accounts.service:purge_expired_job",
    "portal.ledger.service:top_up_job",
    "portal.interviews.service:remind_upcoming",
    "portal.presentations.service:remind_upcoming",
    "portal.idempotency:purge_expired",
    "portal.notifications.mail:send_due",
    "portal.stored_files:sweep_orphans",
    "portal.traineeships.service:publish_due_batches",
)


def run_jobs_once(app_state) -> None:
    for dotted in SCHEDULED_JOBS:
        module_name, _, function_name = dotted.partition(":")
        job = getattr(importlib.import_module(module_name), function_name)
        try:
            with Session(app_state.engine, expire_on_commit=False) as session:
                job(session, settings=app_state.settings, search=app_state.search)
        except Exception:
            log.exception("scheduled job %s failed", dotted)


def run_scheduler(app: FastAPI):
    async def loop() -> None:
        while True:
            await asyncio.to_thread(run_jobs_once, app.state)
            await asyncio.sleep(app.state.settings.scheduler_interval_seconds)

    task = asyncio.create_task(loop())

    async def stop() -> None:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    return stop
