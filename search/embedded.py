"""The embedded backend: the matching model evaluated in Python over documents read from the database.

Used when PORTAL_SEARCH_URL is unset (and as the fallback while Elasticsearch is unreachable). It keeps no index:
each process builds the documents from the database (search/documents.py) and caches them, re-reading when a cheap
fingerprint query says the searchable rows changed, so any number of stateless processes agree with the database.
"""
from __future__ import annotations

import heapq
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Integer, cast, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile
from portal.employers.models import Organization, OrganizationStatus
from portal.positions.models import Position, PositionStatus
from portal.resumes.models import Resume
from search import matching as m
from search.backend import (
    SearchBackend,
    candidate_match,
    fit,
    highlights,
    plan_tiers,
    position_hit,
    position_match,
    tier_signals,
)
from search.conditions import compile_condition, name_matcher, term_set, value_set
from search.documents import POSITION, RESUME, load_docs
from search.schemas import (
    BulkReport,
    FacetBucket,
    Health,
    PositionHit,
    PositionQuery,
    SearchResults,
)
from search.text import query_units

FINGERPRINT_EVERY_SECONDS = 2.0


def f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


class _Cache:
    def __init__(self) -> None:
        self.docs: dict[str, dict[int, dict]] = {}
        self.fingerprints: dict[str, tuple] = {}
        self.checked: dict[str, float] = {}
        self.indexes: dict[str, _Index] = {}
        self.lock = threading.Lock()


class EmbeddedBackend(SearchBackend):
    name = "embedded"
    keeps_index = False

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache = _Cache()

    # ---- documents ---------------------------------------------------------------------------------------------
    def _fingerprint(self, session: Session, entity: str) -> tuple:
        if entity == POSITION:
            statement = (
                select(func.count(Position.id), func.max(Position.updated_at), func.max(Position.published_at))
                .join(Organization, Organization.id == Position.organization_id)
                .where(Position.status == PositionStatus.published, Organization.status == OrganizationStatus.verified)
            )
        else:
            statement = select(
                func.count(Resume.id), func.max(Resume.updated_at), func.sum(cast(GraduateProfile.discoverable, Integer))
            ).join(GraduateProfile, GraduateProfile.user_id == Resume.graduate_id)
        return tuple(session.exec(statement).one())

    def documents(self, entity: str) -> dict[int, dict]:
        cache = self._cache
        now = time.monotonic()
        if entity in cache.docs and now - cache.checked.get(entity, 0) < FINGERPRINT_EVERY_SECONDS:
            return cache.docs[entity]
        with cache.lock, Session(self.engine) as session:
            fingerprint = self._fingerprint(session, entity)
            if entity not in cache.docs or cache.fingerprints.get(entity) != fingerprint:
                cache.docs[entity] = load_docs(session, entity)
                cache.fingerprints[entity] = fingerprint
            cache.checked[entity] = time.monotonic()
            return cache.docs[entity]

    def invalidate(self, entity: str | None = None) -> None:
        for key in [entity] if entity else list(self._cache.docs):
            self._cache.docs.pop(key, None)

    def _index_of(self, entity: str) -> _Index:
        """The entity's documents with their postings, made anew when the documents were re-read."""
        docs = self.documents(entity)
        found = self._cache.indexes.get(entity)
        if found is None or found.docs is not docs:
            found = self._cache.indexes[entity] = _Index(docs)
        return found

    # ---- writing: nothing to keep, only the cache to forget ----------------------------------------------------
    def ensure_indexes(self) -> None:
        pass

    def index(self, entity: str, docs: list[dict], *, refresh: bool = False) -> BulkReport:
        self.invalidate(entity)
        return BulkReport(indexed=len(docs))

    def delete(self, entity: str, ids: Iterable[int], *, refresh: bool = False) -> BulkReport:
        self.invalidate(entity)
        return BulkReport(deleted=len(list(ids)))

    def reindex(self, entity: str, docs: Iterable[dict]) -> str:
        self.invalidate(entity)
        return "embedded"

    def indexed_hashes(self, entity: str) -> dict[int, str]:
        self.invalidate(entity)
        return {i: d["doc_hash"] for i, d in self.documents(entity).items()}

    def refresh(self) -> None:
        self.invalidate()

    def health(self) -> Health:
        try:
            with Session(self.engine) as session:
                self._fingerprint(session, POSITION)
            return Health(backend=self.name, ok=True, detail="database")
        except Exception as error:  # noqa: BLE001 - health reports any failure
            return Health(backend=self.name, ok=False, detail=str(error)[:200])

    # ---- reading -----------------------------------------------------------------------------------------------
    def search_positions(self, query: PositionQuery, *, today: date | None = None,
                         show_support: bool = True) -> SearchResults:
        plan = m.search_plan(query, today=today or m.default_today(), show_support=show_support)
        units = query_units(query.q)
        matched = self.run(plan, POSITION)
        facets = _facets([d for d, _ in matched])
        start = (query.page - 1) * query.per_page
        hits = [
            position_hit(d, score=s if plan.by_score else None, highlights=highlights(d, units))
            for d, s in _best(plan, matched, start + query.per_page)[start:]
        ]
        return SearchResults(total=len(matched), page=query.page, per_page=query.per_page, hits=hits,
                             facets=facets, backend=self.name)

    def recommend_positions(self, graduate: dict, *, limit: int = 10, today: date | None = None,
                            now: datetime | None = None, constraints: m.Constraints | None = None):
        plan = m.recommendation_plan(graduate, today=today, now=now, constraints=constraints)
        tiers = plan_tiers(plan)
        return [position_match(d, s, n, tiers) for d, s, n in self.ranked(plan, POSITION, limit)]

    def position_fits(self, graduate: dict, *, limit: int, today: date | None = None, now: datetime | None = None,
                      constraints: m.Constraints | None = None) -> dict[int, int]:
        plan = m.recommendation_plan(graduate, today=today, now=now, constraints=constraints)
        return {d["id"]: fit(s, n) for d, s, n in self.ranked(plan, POSITION, limit, named=tier_signals(plan))}

    def rank_candidates(self, position: dict, *, graduate_ids: list[int] | None, limit: int = 20,
                        now: datetime | None = None):
        plan = m.candidate_plan(position, graduate_ids=graduate_ids, now=now or m.default_now())
        applied = set(graduate_ids or ())
        tiers = plan_tiers(plan)
        return [candidate_match(d, position, s, n, d["graduate_id"] in applied, tiers)
                for d, s, n in self.ranked(plan, RESUME, limit)]

    def similar_positions(self, position_id: int, *, limit: int = 5, today: date | None = None) -> list[PositionHit]:
        docs = self.documents(POSITION)
        source = docs.get(position_id)
        if source is None:
            return []
        plan = m.Plan(filters=m.open_position_filters(today or m.default_today()))
        skills = set(source["skills_norm"])
        title = term_set(source, "title")
        words = term_set(source, "description")
        scored = []
        for d, _ in self.run(plan, POSITION):
            if d["id"] == position_id:
                continue
            other = term_set(d, "description")
            other_title = term_set(d, "title")
            score = (3 * len(skills & set(d["skills_norm"])) + 4 * len(title & other_title) / max(1, len(title | other_title))
                     + 5 * len(words & other) / max(1, len(words | other)) + (0.5 if d["kind"] == source["kind"] else 0))
            if score > 0:
                scored.append((d, score))
        top = heapq.nsmallest(limit, scored, key=lambda t: (-t[1], -t[0]["id"]))
        return [position_hit(d, score=round(s, 4)) for d, s in top]

    # ---- the interpreter ---------------------------------------------------------------------------------------
    def run(self, plan: m.Plan, entity: str) -> list[tuple[dict, float]]:
        """(doc, score) of the documents passing the plan's filters, gate and minimum score, in key order, like
        Elasticsearch's bool / function_score(min_score) query. The filters answered by sets of keys (postings,
        ranges) go first, most selective first; the gate's points are added up over what they leave, the other
        filters are tested on the documents that reach the gate, and only those are scored. Each document's points
        are added in the plan's order (gate, signals, decays), and the whole score goes through float32 as in
        Lucene."""
        index = self._index_of(entity)
        keys = index.keys
        for c in sorted(filter(_by_sets, plan.filters), key=index.size):
            keys = index.narrowed(keys, c)
        points = index.gate_points(plan, keys)
        passing = frozenset(points)
        for c in plan.filters:
            if not _by_sets(c):
                passing = index.matching(c, passing)
        for signal in plan.signals:
            for key in index.matching(signal.condition, passing):
                points[key] += signal.weight
        decays = [(d.weight, m.decay_function(d), d.field, d.is_date) for d in plan.decays]
        min_score, docs, scored = plan.min_score, index.docs, []
        for key in sorted(passing):
            doc, total = docs[key], points[key]
            for weight, decay, field, is_date in decays:
                total += weight * decay(_numeric(doc, field, is_date))
            score = f32(total)
            if min_score is None or score >= min_score:
                scored.append((doc, score))
        return scored

    def ranked(self, plan: m.Plan, entity: str, limit: int,
               named: list[m.Signal] | None = None) -> list[tuple[dict, float, list[str]]]:
        """The plan's best `limit` documents, in the plan's order, each with the names of the `named` signals it
        met (all by default), worked out for those few only."""
        best = _best(plan, self.run(plan, entity), limit)
        names = name_matcher(plan, named)
        return [(doc, score, names(doc)) for doc, score in best]


def _best(plan: m.Plan, scored: list[tuple[dict, float]], limit: int) -> list[tuple[dict, float]]:
    """The first `limit` of (doc, score) in the plan's order. Only the documents scoring at least the limit-th best
    score can be among them, so the sort keys are made for those alone."""
    if not scored or limit <= 0:
        return []
    if plan.by_score and len(scored) > limit:
        floor = heapq.nlargest(limit, (score for _, score in scored))[-1]
        scored = [pair for pair in scored if pair[1] >= floor]
    return heapq.nsmallest(limit, scored, key=lambda pair: _sort_key(plan, pair[0], pair[1]))


def _numeric(doc: dict, field: str, is_date: bool) -> float | None:
    cache = doc.setdefault("_numbers", {})
    if field not in cache:
        value = doc.get(field)
        cache[field] = None if value is None else (m.to_millis(value) if is_date else float(value))
    return cache[field]


def _sortable(doc: dict, field: str) -> float | None:
    return _numeric(doc, field, isinstance(doc.get(field), str))


def _sort_key(plan: m.Plan, doc: dict, score: float) -> tuple:
    key: list = [-score] if plan.by_score else []
    for field, order in plan.sort:
        v = _sortable(doc, field)
        key.append(float("inf") if v is None else (-v if order == "desc" else v))
    return tuple(key)


def _by_postings(c) -> bool:
    """Whether the postings alone answer condition `c` (terms, and any or none of such conditions)."""
    kind = type(c)
    if kind is m.AnyOf:
        return all(_by_postings(part) for part in c.conditions)
    if kind is m.Not:
        return _by_postings(c.condition)
    return kind in (m.Term, m.Terms, m.MatchAll)


def _by_sets(c) -> bool:
    """Whether a filter is applied as a set of keys: the postings answer it, or it is a range (_Index.in_range)."""
    return _by_postings(c) or type(c) is m.Range


_NONE: frozenset = frozenset()
# How many range filters an index keeps the documents of: the open positions' deadline and the degree ranks recur
# in every recommendation, and a search's own ranges (salary, deadline) come and go.
RANGES_KEPT = 16


class _Index:
    """An entity's documents and, in memory, their postings (field -> value -> the keys of the documents holding
    it, made on first use), so that a plan's term conditions are set operations over the documents' keys rather than
    a test of every document."""

    def __init__(self, docs: dict[int, dict]) -> None:
        self.docs = docs
        self.keys = frozenset(docs)
        self._postings: dict[str, dict] = {}
        self.in_range = lru_cache(maxsize=RANGES_KEPT)(self._in_range)

    def postings(self, field: str) -> dict:
        table = self._postings.get(field)
        if table is None:
            lists: dict = {}
            for key, doc in self.docs.items():
                for value in value_set(doc, field):
                    lists.setdefault(value, []).append(key)
            table = self._postings[field] = {value: frozenset(keys) for value, keys in lists.items()}
        return table

    def _in_range(self, c: m.Range) -> frozenset:
        """The keys of the documents within range `c`, tested once for all queries (RANGES_KEPT)."""
        return self.matching(c, self.keys)

    def narrowed(self, within: frozenset, c) -> frozenset:
        """The keys among `within` of the documents passing filter `c`, one that _by_sets."""
        return self.matching(c, within) if _by_postings(c) else within & self.in_range(c)

    def size(self, c) -> int:
        """At most how many documents meet `c`, a filter that _by_sets (to apply the most selective first)."""
        kind = type(c)
        if kind is m.Term:
            return len(self.postings(c.field).get(c.value, _NONE))
        if kind is m.Terms:
            table = self.postings(c.field)
            return sum(len(table.get(value, _NONE)) for value in c.values)
        if kind is m.AnyOf:
            return sum(self.size(part) for part in c.conditions)
        return len(self.keys)

    def matching(self, c, within: frozenset) -> frozenset:
        """The keys among `within` of the documents meeting condition `c`: from the postings when they answer it,
        else by testing each of those documents (search/conditions.py)."""
        kind = type(c)
        if kind is m.Term:
            return within & self.postings(c.field).get(c.value, _NONE)
        if kind is m.Terms:
            table = self.postings(c.field)
            return _NONE.union(*(within & table[value] for value in c.values if value in table))
        if kind is m.AnyOf and _by_postings(c):
            return _NONE.union(*(self.matching(part, within) for part in c.conditions))
        if kind is m.Not and _by_postings(c):
            return within - self.matching(c.condition, within)
        if kind is m.MatchAll:
            return within
        holds, docs = compile_condition(c), self.docs
        return frozenset(key for key in within if holds(docs[key]))

    def gate_points(self, plan: m.Plan, keys: frozenset) -> dict[int, float]:
        """key -> the gate's points, for the documents among `keys` that reach the plan's gate (one meeting none of
        its signals reaches only a gate of 0)."""
        points = dict.fromkeys(keys, 0.0) if plan.gate_min <= 0 else {}
        for signal in plan.gate:
            for key in self.matching(signal.condition, keys):
                points[key] = points.get(key, 0.0) + signal.weight
        return {key: total for key, total in points.items() if total >= plan.gate_min}


def _facets(docs: list[dict]) -> dict[str, list[FacetBucket]]:
    facets: dict[str, list[FacetBucket]] = {}
    for field in m.FACET_FIELDS:
        counts = Counter(str(d.get(field)).lower() if isinstance(d.get(field), bool) else d.get(field) for d in docs)
        facets[field] = [FacetBucket(value=str(v), count=n)
                         for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    buckets = []
    for low, high in m.SALARY_BUCKETS:
        n = sum(1 for d in docs if (low is None or d["salary_max"] >= low) and (high is None or d["salary_max"] < high))
        buckets.append(FacetBucket(value=salary_bucket_key(low, high), count=n))
    facets["salary"] = buckets
    return facets


def salary_bucket_key(low: int | None, high: int | None) -> str:
    return f"{low or '*'}-{high or '*'}"
