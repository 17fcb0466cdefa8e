"""Training seats and subsidy approvals under contention, on PostgreSQL. Prints ONE JSON line.

    python bench/training_contention.py [--graduates 400 --seats 100 --claims 100 --threads 16] [--server-url URL]

In a fresh database on the server (`--server-url`, default PORTAL_TEST_DATABASE_URL; dropped afterwards):
  * enrol: `--graduates` graduates race for the `--seats` seats of one programme through training.enrol, from
    `--threads` threads at once. Reported: wall seconds, enrolments per second, p50/p95 of one enrolment, how many
    got a seat, the programme's seat count, and `overbooked` (seats given beyond the programme's, must be 0);
  * approve: `--claims` submitted subsidy claims, each approved by two officers at the same moment through
    subsidies.approve. Reported: wall seconds, p50/p95 of one decision, approvals, refusals, and `double_approved`
    (claims with more than one approval, must be 0).
Accounts are inserted directly (no password hashing), so the figures are about the services and the database.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

from bench.load import create_database  # noqa: E402
from portal import models  # noqa: E402,F401
from portal.accounts.models import GraduateProfile, OfficerScope, Role, User  # noqa: E402
from portal.clock import today, utcnow  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.errors import Conflict  # noqa: E402
from portal.settings import Settings  # noqa: E402
from portal.subsidies import service as subsidies  # noqa: E402
from portal.subsidies.models import SubsidyApplication, SubsidyEvent  # noqa: E402
from portal.training import service as training  # noqa: E402
from portal.training.models import TrainingEnrolment, TrainingProgramme  # noqa: E402


def insert_users(session: Session, count: int, role: Role, tag: str) -> list[int]:
    rows = [{"email": f"{role}{n}-{tag}@bench.jinying.cn", "role": role, "display_name": f"{role}{n}",
             "created_at": utcnow()} for n in range(count)]
    ids = list(session.exec(insert(User).values(rows).returning(User.id)).scalars())
    if role == Role.graduate:
        session.execute(insert(GraduateProfile).values([
            {"user_id": i, "school": "南开大学", "student_number": f"B{i:07d}", "major": "软件工程", "degree": "bachelor",
             "graduation_year": subsidies.graduating_class(), "discoverable": False} for i in ids]))
    else:
        session.execute(insert(OfficerScope).values([{"user_id": i, "kind": "city", "value": "天津市"} for i in ids]))
    session.commit()
    return ids


def programme(session: Session, *, seats: int, started: bool) -> TrainingProgramme:
    first = today() - timedelta(days=3) if started else today() + timedelta(days=10)
    row = TrainingProgramme(
        title=f"压测项目 {uuid.uuid4().hex[:6]}", description="压测", skills=["Docker"], skill_keys="|docker|",
        starts_on=first, ends_on=first + timedelta(days=30), schedule="每周六", mode="online", seats=seats, cost=1000,
        certificate="证书", subsidised=True, subsidy_amount=800, subsidy_groups=["final_year"],
        enrol_by=today() + timedelta(days=5), status="published", published_at=utcnow())
    session.add(row)
    session.commit()
    return row


def timed(work, items, threads: int) -> tuple[float, list[float], list]:
    def one(item):
        started = time.perf_counter()
        outcome = work(item)
        return time.perf_counter() - started, outcome

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(one, items))
    return time.perf_counter() - started, [r[0] for r in results], [r[1] for r in results]


def percentiles(seconds: list[float]) -> dict:
    cuts = statistics.quantiles(seconds, n=20)
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1)}


def enrol_race(engine, graduate_ids: list[int], seats: int, threads: int) -> dict:
    with Session(engine, expire_on_commit=False) as session:
        target = programme(session, seats=seats, started=False)
        graduates = session.exec(select(User).where(User.id.in_(graduate_ids))).all()

    def enrol(graduate):
        with Session(engine, expire_on_commit=False) as session:
            try:
                training.enrol(session, graduate=graduate, programme_id=target.id)
            except Conflict:
                return False
            return True

    wall, seconds, outcomes = timed(enrol, graduates, threads)
    with Session(engine) as session:
        taken = session.get(TrainingProgramme, target.id).seats_taken
        rows = session.exec(select(func.count()).where(TrainingEnrolment.programme_id == target.id)).one()
    return {"enrol_wall_s": round(wall, 2), "enrol_per_s": round(len(graduates) / wall, 1), **{
        f"enrol_{k}": v for k, v in percentiles(seconds).items()}, "enrolled": sum(outcomes), "seats": seats,
        "seats_taken": taken, "overbooked": max(0, rows - seats)}


def claims(engine, graduate_ids: list[int]) -> list[int]:
    with Session(engine, expire_on_commit=False) as session:
        done = programme(session, seats=len(graduate_ids), started=True)
        enrolments = list(session.exec(insert(TrainingEnrolment).values([
            {"programme_id": done.id, "graduate_id": g, "status": "completed", "enrolled_at": utcnow(),
             "completed_at": utcnow(), "certificate_number": f"C{g}"} for g in graduate_ids]
        ).returning(TrainingEnrolment.id, TrainingEnrolment.graduate_id)).all())
        ids = list(session.exec(insert(SubsidyApplication).values([
            {"graduate_id": g, "programme_id": done.id, "enrolment_id": e, "eligible_group": "final_year",
             "amount_claimed": 800, "status": "submitted", "created_at": utcnow(), "submitted_at": utcnow(),
             "updated_at": utcnow(), "graduate_note": ""} for e, g in enrolments]
        ).returning(SubsidyApplication.id)).scalars())
        session.commit()
    return ids


def approval_race(engine, settings: Settings, claim_ids: list[int], officer_ids: list[int], threads: int) -> dict:
    with Session(engine, expire_on_commit=False) as session:
        officers = session.exec(select(User).where(User.id.in_(officer_ids))).all()
    attempts = [(claim, officer) for claim in claim_ids for officer in officers]

    def approve(attempt):
        claim, officer = attempt
        with Session(engine, expire_on_commit=False) as session:
            try:
                subsidies.approve(session, settings=settings, officer=officer, application_id=claim, amount=800)
            except Conflict:
                return False
            return True

    wall, seconds, outcomes = timed(approve, attempts, threads)
    with Session(engine) as session:
        per_claim = session.exec(select(SubsidyEvent.application_id, func.count())
                                 .where(SubsidyEvent.action == "approved").group_by(SubsidyEvent.application_id)).all()
    return {"approve_wall_s": round(wall, 2), **{f"approve_{k}": v for k, v in percentiles(seconds).items()},
            "approvals": sum(outcomes), "refused": len(outcomes) - sum(outcomes), "claims": len(claim_ids),
            "double_approved": sum(1 for _, count in per_claim if count > 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=400)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--server-url", default=os.environ.get("PORTAL_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.server_url:
        sys.exit("needs PostgreSQL: --server-url or PORTAL_TEST_DATABASE_URL (eval \"$(scripts/services env)\")")
    name = f"bench_training_{os.getpid()}"
    engine = make_engine(create_database(args.server_url, name))
    SQLModel.metadata.create_all(engine)
    settings = Settings(database_url=str(engine.url), search_url=None, _env_file=None)
    load_start, cpu_start = os.getloadavg()[0], time.process_time()
    try:
        with Session(engine) as session:
            racers = insert_users(session, args.graduates, Role.graduate, "race")
            claimants = insert_users(session, args.claims, Role.graduate, "claim")
            officers = insert_users(session, 2, Role.officer, "desk")
        report = {"bench": "training_contention", **enrol_race(engine, racers, args.seats, args.threads),
                  **approval_race(engine, settings, claims(engine, claimants), officers, args.threads)}
    finally:
        engine.dispose()
        import psycopg

        with psycopg.connect(args.server_url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report.update(threads=args.threads, cpu_s=round(time.process_time() - cpu_start, 2),
                  load_avg_1m_start=round(load_start, 2), load_avg_1m_end=round(os.getloadavg()[0], 2))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
