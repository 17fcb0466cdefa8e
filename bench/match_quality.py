"""Matching quality on the judged set (bench/judged/): recommendations, the support ledger's offers and employers'
candidate lists, on both backends. Prints ONE JSON line.

    python bench/match_quality.py [--search-url http://127.0.0.1:59200] [--verbose]

Loads the judged set into a fresh SQLite database and, per backend, measures against the adviser's grades
(bench/judged/grading.py, 0-3):

  * recommendations: each graduate's top 10;
  * offers: each ledger graduate's offers from a real top-up of the support ledger (three at most);
  * candidates: for each open position that is not a support post, the top 10 discoverable graduates.

Reported for each: mean nDCG@10 (gain 2^grade - 1, ideal from every grade of that list's pool), precision@3 (a
hit is grade >= 2) and the best precision@3 possible (a graduate with one good position cannot have three),
precision@3 as a share of that best, the count of proposals that break a hard rule (H1-H4, and for offers the
ledger's districts and kinds) and of irrelevant ones (grade 0 for another reason), and the targets' verdict.
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

from sqlmodel import Session, SQLModel, select  # noqa: E402

from bench.judged.grading import grades, graduates, hard_breaks, ledger_breaks, positions  # noqa: E402
from portal import models  # noqa: E402,F401
from portal.accounts.models import GraduateProfile, OfficerScope, Role, User  # noqa: E402
from portal.clock import today, utcnow  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.employers.models import Organization  # noqa: E402
from portal.positions.models import Position  # noqa: E402
from portal.resumes.models import Resume  # noqa: E402
from search.documents import graduate_doc, load_position_docs  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402

TARGETS = {"ndcg@10": 0.90, "precision@3_of_best": 0.90, "hard_rule_breaks": 0}


def load(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    now = utcnow()
    org = Organization(name="天津示例用人单位", uscc="911200000000000001", contact_name="王", contact_phone="1",
                       contact_email="hr@example.com", industry="other", size="50-199", district="和平区",
                       status="verified")
    session.add(org)
    session.flush()
    position_ids = {}
    for n, p in enumerate(positions()):
        row = Position(organization_id=org.id, title=p.title, description=p.description, kind=p.kind,
                       district=p.district, degree_required=p.degree, majors=p.majors, skills=p.skills,
                       salary_min=p.salary_min, salary_max=p.salary_max, headcount=2,
                       deadline=today() + timedelta(days=-3 if "E" in p.flags else 30),
                       status="closed" if "X" in p.flags else "published", is_support=p.is_support,
                       accessible=p.accessible, published_at=now - timedelta(hours=n), updated_at=now)
        session.add(row)
        session.flush()
        position_ids[p.key] = row.id
    graduate_ids = {}
    for g in graduates():
        user = User(email=f"{g.key.lower()}@example.edu.cn", role=Role.graduate, display_name=g.key)
        session.add(user)
        session.flush()
        # A ledger graduate's need is recorded by the officer on the case; the others state it on their profile.
        session.add(GraduateProfile(user_id=user.id, school="南开大学", student_number=g.key, major=g.major,
                                    degree=g.degree, graduation_year=2026, discoverable=True,
                                    needs_accessible=g.needs_accessible and not g.in_ledger))
        session.add(Resume(graduate_id=user.id, headline=g.headline, skills=g.skills, self_intro=g.self_intro,
                           expected_districts=g.districts, expected_kinds=g.kinds, expected_salary_min=g.salary_min,
                           expected_salary_max=g.salary_max))
        graduate_ids[g.key] = user.id
    session.commit()
    return position_ids, graduate_ids


def enrol_ledger(session: Session, graduate_ids: dict[str, int]) -> None:
    from portal.ledger import service as ledger

    officer = User(email="officer@example.gov.cn", role=Role.officer, display_name="officer")
    session.add(officer)
    session.flush()
    session.add(OfficerScope(user_id=officer.id, kind="city", value="天津市"))
    session.commit()
    for g in graduates():
        if g.in_ledger:
            ledger.enrol(session, officer=officer, graduate_id=graduate_ids[g.key],
                         categories=["disability"] if g.needs_accessible else ["minimum_subsistence"],
                         evidence="bench", consent_given=True, preferred_districts=g.districts)


def ndcg(ranked: list[str], grades_of: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades_of.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(ranked[:k]))
    ideal = sorted(grades_of.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 1.0


def precision(ranked: list[str], grades_of: dict[str, int], k: int = 3) -> float:
    return sum(1 for p in ranked[:k] if grades_of.get(p, 0) >= 2) / k


def best_precision(grades_of: dict[str, int], k: int = 3) -> float:
    return min(k, sum(1 for g in grades_of.values() if g >= 2)) / k


class Tally:
    def __init__(self) -> None:
        self.ndcg: list[float] = []
        self.precision: list[float] = []
        self.best: list[float] = []
        self.breaks: list[str] = []
        self.irrelevant = 0
        self.lists = 0

    def add(self, label: str, ranked: list[str], grades_of: dict[str, int], breaks_of) -> None:
        self.lists += 1
        self.ndcg.append(ndcg(ranked, grades_of))
        self.precision.append(precision(ranked, grades_of))
        self.best.append(best_precision(grades_of))
        for item in ranked:
            broken = breaks_of(item)
            if broken:
                self.breaks.append(f"{label}->{item}: {', '.join(broken)}")
            elif grades_of.get(item, 0) == 0:
                self.irrelevant += 1

    def report(self) -> dict:
        mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else None  # noqa: E731
        p, best = mean(self.precision), mean(self.best)
        out = {"lists": self.lists, "ndcg@10": mean(self.ndcg), "precision@3": p, "best_precision@3": best,
               "precision@3_of_best": round(p / best, 4) if best else None,
               "hard_rule_breaks": len(self.breaks), "irrelevant": self.irrelevant}
        out["targets_met"] = (out["ndcg@10"] >= TARGETS["ndcg@10"]
                              and (out["precision@3_of_best"] or 0) >= TARGETS["precision@3_of_best"]
                              and out["hard_rule_breaks"] == TARGETS["hard_rule_breaks"])
        if self.breaks:
            out["breaks"] = self.breaks[:10]
        return out


def evaluate(backend, session, position_ids, graduate_ids, verbose: bool) -> dict:
    matrix = grades()
    by_pid = {v: k for k, v in position_ids.items()}
    ps = {p.key: p for p in positions()}
    gs = {g.key: g for g in graduates()}
    recommendations, offers, candidates = Tally(), Tally(), Tally()
    for key, gid in graduate_ids.items():
        ranked = [by_pid[m.position.id] for m in backend.recommend_positions(graduate_doc(session, gid), limit=10)]
        recommendations.add(key, ranked, matrix[key], lambda p, g=gs[key]: hard_breaks(g, ps[p]))
        if verbose:
            print(f"{backend.name:13} rec {key} top={[(p, matrix[key][p]) for p in ranked]}", file=sys.stderr)
    for key, ranked in ledger_offers(session, backend, graduate_ids, by_pid).items():
        g = gs[key]
        pool = {p: v for p, v in matrix[key].items() if not ledger_breaks(g, ps[p])}
        offers.add(key, ranked, pool, lambda p, g=g: ledger_breaks(g, ps[p]))
        if verbose:
            print(f"{backend.name:13} offers {key} {[(p, matrix[key][p]) for p in ranked]}", file=sys.stderr)
    by_gid = {v: k for k, v in graduate_ids.items()}
    docs = load_position_docs(session)
    for key, pid in position_ids.items():
        p = ps[key]
        if pid not in docs or p.is_support or not p.is_open:
            continue
        ranked = [by_gid[c.graduate_id] for c in backend.rank_candidates(docs[pid], graduate_ids=None, limit=10)]
        column = {g: matrix[g][key] for g in gs}
        candidates.add(key, ranked, column, lambda g, p=p: [b for b in hard_breaks(gs[g], p) if not b.startswith("H3")])
        if verbose:
            print(f"{backend.name:13} cand {key} {[(g, column[g]) for g in ranked]}", file=sys.stderr)
    return {"recommendations": recommendations.report(), "offers": offers.report(), "candidates": candidates.report()}


def ledger_offers(session, backend, graduate_ids, by_pid) -> dict[str, list[str]]:
    """Each ledger graduate's live offers after a fresh top-up, best first."""
    from portal.ledger import service as ledger
    from portal.ledger.models import LedgerOffer

    for offer in session.exec(select(LedgerOffer)).all():
        session.delete(offer)
    session.commit()
    ledger.top_up(session, search=backend, auto_offers=True)
    by_gid = {v: k for k, v in graduate_ids.items()}
    found: dict[str, list[str]] = {by_gid[gid]: [] for gid in graduate_ids.values()
                                   if any(g.in_ledger and g.key == by_gid[gid] for g in graduates())}
    rows = session.exec(select(LedgerOffer).order_by(LedgerOffer.graduate_id, LedgerOffer.score.desc())).all()
    for offer in rows:
        found[by_gid[offer.graduate_id]].append(by_pid[offer.position_id])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_SEARCH_URL") or os.environ.get("PORTAL_TEST_SEARCH_URL"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='jy-quality-')}/quality.db")
    SQLModel.metadata.create_all(engine)
    matrix = grades()
    out: dict = {"graduates": len(graduates()), "positions": len(positions()),
                 "specialties": len({p.specialty for p in positions()}),
                 "graded_pairs": sum(len(row) for row in matrix.values()), "targets": TARGETS}
    with Session(engine, expire_on_commit=False) as session:
        position_ids, graduate_ids = load(session)
        enrol_ledger(session, graduate_ids)
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
