"""Ranking quality on the judged set (bench/quality_set.py): nDCG@10 and precision@3 for both backends.

    python bench/match_quality.py [--search-url http://127.0.0.1:59200] [--verbose]

Loads the set into a fresh SQLite database, asks each backend for the top 10 recommendations of every graduate,
and prints ONE JSON line: mean nDCG@10 (gain 2^grade - 1) and precision@3 (a hit is grade >= 1; the best
possible precision@3 on this set is printed too, since some graduates have fewer than three fitting positions).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, SQLModel  # noqa: E402

from bench.quality_set import GRADUATES, JUDGMENTS, POSITIONS  # noqa: E402
from portal import models  # noqa: E402,F401
from portal.accounts.models import GraduateProfile, User  # noqa: E402
from portal.clock import today, utcnow  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.employers.models import Organization  # noqa: E402
from portal.positions.models import Position  # noqa: E402
from portal.resumes.models import Resume  # noqa: E402
from search.documents import graduate_doc  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402


def load(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    now = utcnow()
    org = Organization(name="天津示例用人单位", uscc="911200000000000001", contact_name="王", contact_phone="1",
                       contact_email="hr@example.com", industry="other", size="50-199", district="和平区",
                       status="verified")
    session.add(org)
    session.flush()
    position_ids = {}
    for n, (key, (title, district, skills, majors, degree, low, high, kind, desc)) in enumerate(sorted(POSITIONS.items())):
        p = Position(organization_id=org.id, title=title, description=desc, kind=kind, district=district,
                     degree_required=degree, majors=majors, skills=skills, salary_min=low, salary_max=high,
                     deadline=today() + timedelta(days=30), status="published",
                     published_at=now - timedelta(hours=n), updated_at=now)
        session.add(p)
        session.flush()
        position_ids[key] = p.id
    graduate_ids = {}
    for key, (major, degree, headline, skills, districts, kinds, low, high) in sorted(GRADUATES.items()):
        u = User(email=f"{key}@example.edu.cn", role="graduate", display_name=key)
        session.add(u)
        session.flush()
        session.add(GraduateProfile(user_id=u.id, school="南开大学", student_number=key, major=major, degree=degree,
                                    graduation_year=2026, discoverable=True))
        session.add(Resume(graduate_id=u.id, headline=headline, skills=skills, expected_districts=districts,
                           expected_kinds=kinds, expected_salary_min=low, expected_salary_max=high))
        graduate_ids[key] = u.id
    session.commit()
    return position_ids, graduate_ids


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision(ranked: list[str], grades: dict[str, int], k: int = 3) -> float:
    return sum(1 for p in ranked[:k] if grades.get(p, 0) >= 1) / k


def evaluate(backend, session, position_ids, graduate_ids, verbose: bool) -> dict:
    by_id = {v: k for k, v in position_ids.items()}
    ndcgs, precisions = [], []
    for key, gid in sorted(graduate_ids.items()):
        grades = {p: g for p, (g, _) in JUDGMENTS.get(key, {}).items()}
        ranked = [by_id[m.position.id] for m in backend.recommend_positions(graduate_doc(session, gid), limit=10)]
        ndcgs.append(ndcg(ranked, grades))
        precisions.append(precision(ranked, grades))
        if verbose:
            print(f"{backend.name:14} {key} nDCG={ndcgs[-1]:.3f} P@3={precisions[-1]:.2f} top={ranked[:5]} "
                  f"judged={sorted(grades, key=lambda p: -grades[p])}", file=sys.stderr)
    return {"ndcg@10": round(sum(ndcgs) / len(ndcgs), 4), "precision@3": round(sum(precisions) / len(precisions), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_SEARCH_URL") or os.environ.get("PORTAL_TEST_SEARCH_URL"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='jy-quality-')}/quality.db")
    SQLModel.metadata.create_all(engine)
    out: dict = {"graduates": len(GRADUATES), "positions": len(POSITIONS),
                 "judged_pairs": sum(len(j) for j in JUDGMENTS.values())}
    out["best_possible_precision@3"] = round(
        sum(min(3, len(JUDGMENTS.get(g, {}))) / 3 for g in GRADUATES) / len(GRADUATES), 4)
    with Session(engine, expire_on_commit=False) as session:
        position_ids, graduate_ids = load(session)
        out["embedded"] = evaluate(EmbeddedBackend(engine), session, position_ids, graduate_ids, args.verbose)
        if args.search_url:
            from search.elastic import ElasticBackend
            from search.indexer import reindex

            es = ElasticBackend(args.search_url, prefix=f"quality-{uuid.uuid4().hex[:8]}")
            try:
                reindex(session, es)
                out["elasticsearch"] = evaluate(es, session, position_ids, graduate_ids, args.verbose)
            finally:
                es.drop_indexes()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
