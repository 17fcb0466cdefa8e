"""A realistic mix of signed-in users against the scale-out setup: two portal processes behind nginx, PostgreSQL and
Elasticsearch, with city-scale data.

    eval "$(scripts/services env)"
    python bench/load.py --graduates 50000 --positions 20000 --users 100 --duration 120
    python bench/load.py ... --reuse jinying_load        # the database and index of an earlier run

It generates the data with bench/datagen.py into a database of its own on PORTAL_TEST_DATABASE_URL's server and
indexes it into Elasticsearch (PORTAL_TEST_SEARCH_URL) under a prefix of its own, starts the processes and nginx
as tests/deploy/cluster.py does (deploy/nginx/proxy.conf), and runs Locust (bench/locustfile.py) headless with
every user starting in the same second. Printed: per kind of request the count, failures, throughput and
p50/p95/p99/max in ms, the whole run's figures, and the load average before and after (the machine is shared).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-2026"
TARGETS_MS = {"search": 100, "position page": 100}


def database_url(server_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def create_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return database_url(server_url, name)


def drop(server_url: str, name: str, search_url: str, prefix: str) -> None:
    import psycopg

    from search.elastic import ElasticBackend

    ElasticBackend(search_url, prefix=prefix).drop_indexes()
    with psycopg.connect(server_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_world(url: str, search_url: str, prefix: str, *, graduates: int, positions: int, users: int) -> dict:
    """Generates the city, gives `users` graduates and ten recruiters a password, seeds applications for the
    recruiters' positions, indexes everything, and returns what the Locust users need."""
    from sqlalchemy import insert, update
    from sqlmodel import Session, SQLModel, select

    from bench.datagen import generate
    from portal import models  # noqa: F401
    from portal.accounts.models import Role, User
    from portal.applications.models import Application, ApplicationEvent
    from portal.clock import today
    from portal.db import make_engine
    from portal.employers.models import Recruiter
    from portal.positions.models import Position
    from portal.security import hash_password
    from search.elastic import ElasticBackend
    from search.indexer import reindex

    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    password_hash = hash_password(PASSWORD)
    with Session(engine, expire_on_commit=False) as session:
        generate(session, positions=positions, graduates=graduates)
        emails = session.exec(select(User.email).where(User.role == Role.graduate).order_by(User.id).limit(users)).all()
        session.execute(update(User).where(User.email.in_(emails)).values(password_hash=password_hash))
        open_ids = session.exec(select(Position.id).where(Position.status == "published",
                                                          Position.deadline >= today())).all()
        # Support positions take only priority graduates (a 403 for others): the ones anyone may apply to.
        for_anyone = session.exec(select(Position.id).where(Position.status == "published", Position.deadline >= today(),
                                                            Position.is_support.is_(False))).all()
        recruiters = []
        for organization_id in range(1, 11):
            user = User(email=f"load-hr{organization_id}@example.com", password_hash=password_hash, role=Role.employer,
                        display_name=f"招聘专员{organization_id}")
            session.add(user)
            session.flush()
            session.add(Recruiter(user_id=user.id, organization_id=organization_id, is_owner=True))
            own = session.exec(select(Position.id).where(Position.organization_id == organization_id,
                                                         Position.status == "published", Position.deadline >= today())).all()
            recruiters.append({"email": user.email, "positions": list(own)})
        applicants = session.exec(select(User.id).where(User.role == Role.graduate).order_by(User.id.desc())
                                  .limit(500)).all()
        rows = [{"position_id": pid, "graduate_id": gid, "status": "received", "resume_snapshot": {}}
                for n, gid in enumerate(applicants) for pid in recruiters[n % 10]["positions"][:2]]
        if rows:
            ids = session.execute(insert(Application).returning(Application.id), rows).scalars().all()
            session.execute(insert(ApplicationEvent), [{"application_id": i, "status": "received"} for i in ids])
        session.commit()
        reindex(session, ElasticBackend(search_url, prefix=prefix))
    words = ["开发", "工程师", "数据分析", "会计", "销售", "教师", "护士", "Java", "Python", "设计", "运营", "机械"]
    return {"password": PASSWORD, "graduates": list(emails), "recruiters": [r for r in recruiters if r["positions"]],
            "positions": list(open_ids), "to_apply": list(for_anyone), "words": words}


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def run_locust(url: str, world_file: Path, *, users: int, duration: int, out: Path) -> None:
    env = {**os.environ, "JINYING_LOAD_WORLD": str(world_file)}
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "--host", url, "-u", str(users), "-r", str(users), "-t", f"{duration}s", "--csv", str(out),
                    "--only-summary", "--loglevel", "WARNING"], env=env, check=False)


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    figures = []
    for row in rows:
        figures.append({
            "request": row["Name"] if row["Name"] != "Aggregated" else "ALL",
            "count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "per_second": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0), "p99_ms": float(row["99%"] or 0),
            "max_ms": round(float(row["Max Response Time"] or 0)),
        })
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=50_000)
    parser.add_argument("--positions", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--processes", type=int, default=2, help="portal processes behind nginx")
    parser.add_argument("--reuse", help="database name of an earlier run kept with --keep")
    parser.add_argument("--keep", action="store_true", help="keep the database and index for --reuse")
    parser.add_argument("--database-server", default=os.environ.get("PORTAL_TEST_DATABASE_URL"))
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_TEST_SEARCH_URL"))
    args = parser.parse_args()
    if not args.database_server or not args.search_url:
        sys.exit("set PORTAL_TEST_DATABASE_URL and PORTAL_TEST_SEARCH_URL (eval \"$(scripts/services env)\")")
    from tests.deploy.cluster import portal_cluster

    name = args.reuse or f"jinying_load_{os.getpid()}"
    state = Path(tempfile.gettempdir()) / name
    state.mkdir(exist_ok=True)
    world_file, prefix = state / "world.json", f"load-{name}"
    started = time.monotonic()
    if args.reuse:
        url = database_url(args.database_server, name)
    else:
        url = create_database(args.database_server, name)
        world = build_world(url, args.search_url, prefix, graduates=args.graduates, positions=args.positions,
                            users=args.users)
        world_file.write_text(json.dumps(world))
    setup_seconds = round(time.monotonic() - started)
    load_before = os.getloadavg()[0]
    with portal_cluster(state / "cluster", database_url=url, search_url=args.search_url, processes=args.processes,
                        search_index_prefix=prefix, environment="local") as cluster:
        pids = [process.pid for process in cluster.processes.values()]
        cpu_before = cpu_seconds(pids)
        run_locust(cluster.url, world_file, users=args.users, duration=args.duration, out=state / "locust")
        portal_cpu = cpu_seconds(pids) - cpu_before
    figures = read_stats(state / "locust")
    total = next(row["count"] for row in figures if row["request"] == "ALL")
    if not args.keep:
        drop(args.database_server, name, args.search_url, prefix)
    for row in figures:
        target = TARGETS_MS.get(row["request"])
        verdict = "" if target is None else ("  (target p95 < %d ms: %s)" % (target, "met" if row["p95_ms"] < target
                                                                          else "NOT met"))
        print(f"{row['request']:<18} n={row['count']:<6} fail={row['failures']:<4} {row['per_second']:>6}/s  "
              f"p50={row['p50_ms']:>5.0f}  p95={row['p95_ms']:>5.0f}  p99={row['p99_ms']:>5.0f}  "
              f"max={row['max_ms']:>6} ms{verdict}")
    print(f"portal processes: {portal_cpu:.1f} s of CPU, {portal_cpu / total * 1000:.1f} ms per request")
    print(json.dumps({"users": args.users, "duration_s": args.duration, "processes": args.processes,
                      "graduates": args.graduates, "positions": args.positions, "database": name,
                      "setup_s": setup_seconds, "load_avg_1m_before": round(load_before, 2),
                      "portal_cpu_s": round(portal_cpu, 1), "portal_cpu_ms_per_request": round(portal_cpu / total * 1000, 1),
                      "load_avg_1m_after": round(os.getloadavg()[0], 2), "requests": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
