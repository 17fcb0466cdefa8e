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
        self.postings: dict[str, dict] = {}
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

    def candidates(self, entity: str, plan: m.Plan) -> Iterable[dict]:
        """The documents that can pass the plan: those whose relevance reaches the gate, added up from postings
        (value -> documents, built on first use), or those sharing a term with its most selective term filter;
        otherwise every document. run() then applies the plan exactly."""
        docs = self.documents(entity)
        postings = self._postings(entity, docs)
        options = [t for t in (_term_options(c) for c in plan.filters) if t is not None]
        found: dict[int, dict] | None = None
        if options:
            best = min(options, key=lambda pairs: sum(len(postings(f).get(v, ())) for f, v in pairs))
            found = {}
            for field, value in best:
                for doc in postings(field).get(value, ()):
                    found[id(doc)] = doc
        gated = self._gate_candidates(plan, postings, found)
        if gated is not None:
            return gated
        return docs.values() if found is None else found.values()

    @staticmethod
    def _gate_candidates(plan: m.Plan, postings, within: dict[int, dict] | None) -> list[dict] | None:
        """The documents (among `within`, the most selective filter's, when known) whose gate signals add up to the
        gate's minimum, score-at-a-time over the postings; None when the plan has no gate or a gate condition is
        not a plain term condition."""
        if plan.gate_min <= 0:
            return None
        points: dict[int, list] = {}
        for signal in plan.gate:
            pairs = _term_options(signal.condition)
            if pairs is None or not isinstance(signal.condition, (m.Term, m.Terms)):
                return None
            seen: set[int] = set()
            for field, value in pairs:
                for doc in postings(field).get(value, ()):
                    key = id(doc)
                    if key not in seen and (within is None or key in within):
                        seen.add(key)
                        points.setdefault(key, [doc, 0.0])[1] += signal.weight
        return [doc for doc, total in points.values() if total >= plan.gate_min - 1e-6]

    def _postings(self, entity: str, docs: dict[int, dict]):
        cache = self._cache.postings.setdefault(entity, {})
        if cache.get("__docs__") is not docs:
            cache.clear()
            cache["__docs__"] = docs

        def postings(field: str) -> dict:
            if field not in cache:
                table: dict = {}
                for doc in docs.values():
                    for value in value_set(doc, field):
                        table.setdefault(value, []).append(doc)
                cache[field] = table
            return cache[field]
        return postings

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
        matched = list(self.run(plan, self.candidates(POSITION, plan)))
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
        for d, _ in self.run(plan, docs.values()):
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
    def run(self, plan: m.Plan, docs: Iterable[dict]):
        """Yields (doc, score) for the documents passing the plan's filters, gate and minimum score, like
        Elasticsearch's bool / function_score(min_score) query. The gate's points are multiples of 1/16 (quantized),
        so their sum is exact in doubles and floats alike; the whole score goes through float32 as in Lucene."""
        filters = [compile_condition(c) for c in plan.filters]
        gate = [(s.weight, compile_condition(s.condition)) for s in plan.gate]
        signals = [(s.weight, compile_condition(s.condition)) for s in plan.signals]
        decays = [(d.weight, m.decay_function(d), d.field, d.is_date) for d in plan.decays]
        gate_min, min_score = plan.gate_min, plan.min_score
        for doc in docs:
            for holds in filters:
                if not holds(doc):
                    break
            else:
                relevance = 0.0
                for weight, holds in gate:
                    if holds(doc):
                        relevance += weight
                if relevance < gate_min:
                    continue
                points = relevance
                for weight, holds in signals:
                    if holds(doc):
                        points += weight
                for weight, decay, field, is_date in decays:
                    points += weight * decay(_numeric(doc, field, is_date))
                score = f32(points)
                if min_score is None or score >= min_score:
                    yield doc, score

    def ranked(self, plan: m.Plan, entity: str, limit: int,
               named: list[m.Signal] | None = None) -> list[tuple[dict, float, list[str]]]:
        """The plan's best `limit` documents, in the plan's order, each with the names of the `named` signals it
        met (all by default), worked out for those few only."""
        best = _best(plan, list(self.run(plan, self.candidates(entity, plan))), limit)
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


def _term_options(c) -> list[tuple[str, object]] | None:
    """(field, value) pairs of which a document must hold one to pass `c`, or None if `c` is not of that form."""
    if isinstance(c, m.Term):
        return [(c.field, c.value)]
    if isinstance(c, (m.Terms, m.MinMatch)):  # for MinMatch a superset: run() applies the filter itself
        return [(c.field, v) for v in c.values]
    if isinstance(c, m.AnyOf):
        pairs: list = []
        for part in c.conditions:
            sub = _term_options(part)
            if sub is None:
                return None
            pairs += sub
        return pairs
    return None


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
