"""Matching speed, Elasticsearch and the embedded backend side by side. Prints ONE JSON line.

    python bench/match_speed.py --positions 100000 --graduates 50000 \
        [--database-url sqlite:////tmp/bench.db] [--search-url http://127.0.0.1:59200] [--samples 300]

Generates realistic data (bench/datagen.py, Faker zh_CN) into a fresh database, builds the documents, bulk-loads
them into new Elasticsearch indexes (a throwaway index prefix, deleted afterwards unless --keep), and measures:
bulk indexing rate (documents/s, alias swap included), and p50/p95 latency of a recommendation (top 10 for a
random graduate) and of a filtered search (a keyword, one district, full-time, a salary floor; facets and
highlights included, page 1 of 20) on each backend. Elasticsearch is timed once recommendations for other
graduates have brought its latency to rest (`warm_up`, printed), as on a node that has been serving. The embedded
backend's one-off document load is reported apart from its per-query latency. `segmenting` is the time the word
analysis of search/text.py takes over every document's texts from a cold cache, and its share of the rest of bulk
indexing (building the documents without it, plus the Elasticsearch bulk load).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, SQLModel  # noqa: E402

from portal import models  # noqa: E402,F401
from portal.db import make_engine  # noqa: E402
from portal.reference import TIANJIN_DISTRICTS  # noqa: E402
from search.documents import load_position_docs, load_resume_docs  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.schemas import PositionQuery  # noqa: E402

KEYWORDS = ["开发", "数据分析", "Python", "会计", "工程师", "运营", "Java", "教师", "测试", "机械设计", "销售", "护士"]


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2), "n": len(ordered)}


def timed(fn, args_list) -> dict:
    samples = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        samples.append(time.perf_counter() - t)
    return percentiles(samples)


def segmenting_seconds(position_docs, resume_docs) -> float:
    """The word analysis of every document's texts, from a cold cache, as documents.py runs it."""
    from search.matching import SEARCH_FIELDS
    from search.text import _han_run, _inside, _piece, analyse

    texts = [d[name] for d in position_docs for name in SEARCH_FIELDS]
    texts += [t for d in resume_docs for t in (d["headline"], d["self_intro"])]
    analyse.cache_clear()
    _piece.cache_clear()
    _inside.cache_clear()
    _han_run.cache_clear()
    # A full collection owed to the documents just loaded would otherwise land in the timing or not, by chance.
    gc.collect()
    t = time.perf_counter()
    for text in texts:
        analyse(text)
    return time.perf_counter() - t


def settle(es, timeout: float = 300.0) -> float:
    """Waits until the node has finished merging the segments of the bulk load (a serving index has), and returns
    how long that took."""
    started = time.perf_counter()
    quiet = 0
    while quiet < 3 and time.perf_counter() - started < timeout:
        merges = es.client.indices.stats(index=f"{es.prefix}-*", metric="merge")["_all"]["total"]["merges"]
        quiet = quiet + 1 if merges["current"] == 0 else 0
        time.sleep(1)
    return round(time.perf_counter() - started, 1)


def warm_up(recommend, graduates: list[dict], window: int = 500) -> dict:
    """Recommendations for other graduates, a window at a time, until a window's p95 is no longer 5 % below the
    last one's (2,000 at least): a node that has been serving has compiled its query paths (C2) and filled its
    caches, and a freshly started one answers its first thousands of queries up to twice as slowly. Returns the
    queries run and each window's p95."""
    p95s: list[float] = []
    for start in range(0, len(graduates) - window + 1, window):
        p95s.append(timed(recommend, [(g,) for g in graduates[start:start + window]])["p95_ms"])
        if len(p95s) >= 4 and p95s[-1] > 0.95 * p95s[-2]:
            break
    return {"queries": window * len(p95s), "window_p95_ms": p95s}


def node_jvm(es) -> dict:
    """The node's version, heap and JIT. The test suite's node runs the C1 compiler only (fast start-up, slow
    queries): time against one started as in production, `PORTAL_ES_EXTRA_JAVA_OPTS= PORTAL_ES_HEAP=2g`."""
    node = next(iter(es.client.nodes.info(metric="jvm")["nodes"].values()))
    arguments = node["jvm"]["input_arguments"]
    return {"version": node["version"], "heap_max_mb": node["jvm"]["mem"]["heap_max_in_bytes"] // 2**20,
            "jit": "C1 only (test setting)" if "-XX:TieredStopAtLevel=1" in arguments else "tiered (production)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=10000)
    parser.add_argument("--graduates", type=int, default=5000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--search-url", default=os.environ.get("PORTAL_SEARCH_URL") or os.environ.get("PORTAL_TEST_SEARCH_URL"))
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--embedded-samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the Elasticsearch indexes")
    parser.add_argument("--reuse", action="store_true", help="use the data already in --database-url")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='jy-bench-')}/bench.db"
    engine = make_engine(url)
    out: dict = {"positions": args.positions, "graduates": args.graduates, "database": engine.dialect.name,
                 "cpus": os.cpu_count(), "load_avg_1m_start": round(os.getloadavg()[0], 1)}
    if not args.reuse:
        SQLModel.metadata.drop_all(engine)
        SQLModel.metadata.create_all(engine)
        from bench.datagen import generate

        t = time.perf_counter()
        with Session(engine) as session:
            generate(session, positions=args.positions, graduates=args.graduates, seed=args.seed)
        out["generate_s"] = round(time.perf_counter() - t, 1)

    with Session(engine) as session:
        t = time.perf_counter()
        position_docs = load_position_docs(session)
        resume_docs = load_resume_docs(session)
        build_s = time.perf_counter() - t
    out["searchable_positions"] = len(position_docs)
    out["documents_built_per_s"] = round((len(position_docs) + len(resume_docs)) / build_s)
    segmenting_s = segmenting_seconds(position_docs.values(), resume_docs.values())

    graduates = rng.sample(list(resume_docs.values()), k=min(args.samples, len(resume_docs)))
    queries = [
        PositionQuery(q=rng.choice(KEYWORDS), district=[rng.choice(TIANJIN_DISTRICTS)], kind=["full_time"],
                      salary_min=rng.choice([0, 5000, 8000]) or None)
        for _ in range(args.samples)
    ]

    if args.search_url:
        from search.elastic import ElasticBackend

        es = ElasticBackend(args.search_url, prefix=f"bench-{uuid.uuid4().hex[:8]}", timeout=120)
        try:
            t = time.perf_counter()
            es.reindex("position", position_docs.values())
            pos_s = time.perf_counter() - t
            t = time.perf_counter()
            es.reindex("resume", resume_docs.values())
            res_s = time.perf_counter() - t
            out["merges_settled_s"] = settle(es)
            out["warm_up"] = warm_up(lambda g: es.recommend_positions(g, limit=10),
                                     rng.sample(list(resume_docs.values()), k=min(16_000, len(resume_docs))))
            for q in queries:
                es.search_positions(q)
            out["elasticsearch_node"] = node_jvm(es)
            rest_s = build_s - segmenting_s + pos_s + res_s
            out["segmenting"] = {"seconds": round(segmenting_s, 2), "share_of_bulk_indexing": round(segmenting_s / rest_s, 3)}
            out["elasticsearch"] = {
                "bulk_positions_per_s": round(len(position_docs) / pos_s),
                "bulk_resumes_per_s": round(len(resume_docs) / res_s),
                "recommendation": timed(lambda g: es.recommend_positions(g, limit=10), [(g,) for g in graduates]),
                "filtered_search": timed(lambda q: es.search_positions(q), [(q,) for q in queries]),
            }
        finally:
            if not args.keep:
                es.drop_indexes()

    embedded = EmbeddedBackend(engine)
    t = time.perf_counter()
    embedded.documents("position")
    load_s = time.perf_counter() - t
    n = args.embedded_samples
    out["embedded"] = {
        "load_documents_s": round(load_s, 2),
        "recommendation": timed(lambda g: embedded.recommend_positions(g, limit=10), [(g,) for g in graduates[:n]]),
        "filtered_search": timed(lambda q: embedded.search_positions(q), [(q,) for q in queries[:n]]),
    }
    out["load_avg_1m_end"] = round(os.getloadavg()[0], 1)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
