"""Support-ledger top-up at scale. Prints ONE JSON line.

    python bench/ledger_topup.py --graduates 50000 --positions 20000 --cases 5000 \
        [--database-url sqlite:////tmp/ledger.db] [--search-url http://127.0.0.1:59200] [--propose]

Generates realistic graduates, resumes, employers and positions (bench/datagen.py), enrols `--cases` of the
graduates in the support ledger through the service (categories drawn at random, about one in ten with a
disability), then times:
  * topup_s: the first top-up, which fills every case from nothing (the matcher is asked once per case);
  * steady_topup_s: a second top-up with nothing to refill (every offer re-checked, no matcher call);
  * churn_topup_s: a top-up after 5% of the offered positions closed and 5% of the offers' applications were
    rejected (only the cases that dropped below three ask the matcher again). The positions are closed in the
    database alone: Elasticsearch's copy still has them open, as in the moment before the search outbox is
    drained, and the top-up must ask past them.
and reports the share of cases holding three offers, the shortfall reasons and the offers that break a constraint
of their case or the minimum fit (`unsuitable_offers`, which must be 0). Times are wall-clock seconds; the
*_cpu_s figures are this process's CPU seconds, which stay meaningful on a busy machine.
The matcher is the search backend's recommend_positions: Elasticsearch with --search-url, else the embedded backend.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, update  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

from portal import models  # noqa: E402,F401
from portal.accounts.models import GraduateProfile, OfficerScope, Role, User  # noqa: E402
from portal.applications.models import Application  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.ledger import service as ledger  # noqa: E402
from portal.ledger.models import LedgerOffer  # noqa: E402
from portal.positions.models import Position  # noqa: E402

CATEGORY_MIX = (["poverty_alleviated"] * 4 + ["minimum_subsistence"] * 3 + ["zero_employment"] * 2 + ["disability"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=50000)
    parser.add_argument("--positions", type=int, default=20000)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_SEARCH_URL"))
    parser.add_argument("--propose", action="store_true", help="propose instead of offering (auto offers off)")
    parser.add_argument("--min-fit", type=int, default=ledger.DEFAULT_MIN_FIT)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    scratch = None if args.database_url else tempfile.mkdtemp(prefix="jy-ledger-")
    url = args.database_url or f"sqlite:///{scratch}/bench.db"
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA synchronous=NORMAL"))
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    out: dict = {"graduates": args.graduates, "positions": args.positions, "cases": args.cases,
                 "database": engine.dialect.name, "auto_offers": not args.propose, "min_fit": args.min_fit}

    from bench.datagen import generate

    t = time.perf_counter()
    with Session(engine) as session:
        generate(session, positions=args.positions, graduates=args.graduates, seed=args.seed)
    out["generate_s"] = round(time.perf_counter() - t, 1)

    with Session(engine, expire_on_commit=False) as session:
        officer = User(email="bench-officer@jinying.gov.cn", role=Role.officer, display_name="bench")
        session.add(officer)
        session.flush()
        session.add(OfficerScope(user_id=officer.id, kind="city", value="天津市"))
        session.commit()
        # In id order: without ORDER BY, SQLite's order changed from one run to the next, and so did the sample.
        graduate_ids = list(session.exec(select(GraduateProfile.user_id).order_by(GraduateProfile.user_id)).all())
        chosen = rng.sample(graduate_ids, k=min(args.cases, len(graduate_ids)))
        t = time.perf_counter()
        for n, graduate_id in enumerate(chosen, 1):
            ledger.enrol(session, officer=officer, graduate_id=graduate_id, categories=[rng.choice(CATEGORY_MIX)],
                         evidence="bench", consent_given=True, commit=False)
            if n % 500 == 0:
                session.commit()
        session.commit()
        out["enrol_s"] = round(time.perf_counter() - t, 1)

        search, es = _backend(args, engine, session)
        out["matcher"] = search.name
        try:
            auto = not args.propose
            t, cpu = time.perf_counter(), time.process_time()
            first = ledger.top_up(session, search=search, auto_offers=auto, min_fit=args.min_fit)
            out["topup_s"] = round(time.perf_counter() - t, 1)
            out["topup_cpu_s"] = round(time.process_time() - cpu, 1)  # this process only (Elasticsearch's own work not included)
            out["cases_per_s"] = round(first.cases / max(first.seconds, 1e-9), 1)
            out["offers_created"] = first.offers_created
            out["share_holding_three"] = first.as_dict()["share_holding"]
            out["shortfall"] = first.shortfall
            out["shortfall_reasons"] = first.reasons
            out["support_share_of_offers"] = round(session.exec(
                select(LedgerOffer.is_support)).all().count(True) / max(1, first.offers_created), 3)
            out["unsuitable_offers"] = unsuitable_offers(session, args.min_fit)

            cpu = time.process_time()
            steady = ledger.top_up(session, search=search, auto_offers=auto, min_fit=args.min_fit)
            out["steady_topup_s"] = steady.seconds
            out["steady_topup_cpu_s"] = round(time.process_time() - cpu, 1)

            offers = session.exec(select(LedgerOffer).where(LedgerOffer.status.in_(("offered", "proposed")))).all()
            closing = {o.position_id for o in rng.sample(offers, k=len(offers) // 20)}
            session.exec(update(Position).where(Position.id.in_(closing)).values(status="closed", close_reason="filled"))
            for o in rng.sample(offers, k=len(offers) // 20):
                if o.position_id not in closing:
                    session.add(Application(graduate_id=o.graduate_id, position_id=o.position_id, status="rejected"))
            session.commit()
            search.refresh()
            cpu = time.process_time()
            churn = ledger.top_up(session, search=search, auto_offers=auto, min_fit=args.min_fit)
            out["churn"] = {"positions_closed": len(closing), "lapsed": churn.lapsed,
                            "offers_created": churn.offers_created, "topup_s": churn.seconds,
                            "topup_cpu_s": round(time.process_time() - cpu, 1),
                            "share_holding_three": churn.as_dict()["share_holding"]}
        finally:
            if es is not None:
                es.drop_indexes()
    engine.dispose()
    if scratch:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))


def unsuitable_offers(session, min_fit: int) -> int:
    """Offers that break a constraint of their case (open, degree, accessibility, districts, kinds) or the
    minimum fit: the guarantee counts suitable offers only, so this must be 0."""
    from portal.ledger.models import LedgerCase
    from portal.ledger.service.offers import constraints_of
    from portal.ledger.suitability import OpenPositions

    open_positions = OpenPositions(session)
    cases = {c.id: constraints_of(session, c) for c in session.exec(select(LedgerCase)).all()}
    return sum(1 for o in session.exec(select(LedgerOffer)).all()
               if not open_positions.meets(o.position_id, cases[o.case_id]) or o.fit < min_fit)


def _backend(args, engine, session):
    from search.embedded import EmbeddedBackend

    if not args.search_url:
        backend = EmbeddedBackend(engine)
        backend.documents("position")  # the one-off load, outside the timed top-up
        return backend, None
    from search.documents import load_position_docs
    from search.elastic import ElasticBackend

    es = ElasticBackend(args.search_url, prefix=f"bench-ledger-{uuid.uuid4().hex[:8]}", timeout=120)
    es.reindex("position", load_position_docs(session).values())
    es.refresh()
    return es, es


if __name__ == "__main__":
    main()
