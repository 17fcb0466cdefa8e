"""Which open positions suit a graduate in the ledger: the matcher proposes, the graduate's constraints decide.

A position is suitable when
  * it is open (published by a verified employer, deadline not passed) and the graduate's degree meets it,
  * the matcher (the search backend's `recommend_positions`, search/matching.py's one model) rates it at least
    `min_fit` out of 100, and
  * it meets the graduate's stated constraints: one of the preferred districts (when any are stated) and an
    accessible workplace for cases that need one.

`OpenPositions` is a snapshot of every open position, loaded once per top-up, so that checking a candidate, an
existing offer or the reason for a shortfall costs no query per case.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal.accounts.models import DEGREE_RANK
from portal.clock import today as tianjin_today
from portal.positions.models import Position

log = logging.getLogger(__name__)

DEFAULT_MIN_FIT = 35  # out of 100: below this the matcher does not call it a fit
# How far down the matcher's list to look for positions that meet the constraints: a second, longer look only for
# the few cases the first one leaves short (Elasticsearch's default result window is 10,000).
RECOMMEND_LIMITS = (300, 5000)


@dataclass(frozen=True)
class OpenPosition:
    id: int
    district: str
    accessible: bool
    is_support: bool
    degree_rank: int
    majors: tuple[str, ...]


@dataclass(frozen=True)
class Constraints:
    degree_rank: int
    major: str
    districts: frozenset[str]  # empty: anywhere
    needs_accessible: bool


@dataclass
class Candidate:
    position_id: int
    fit: int
    score: float
    is_support: bool
    reasons: dict = field(default_factory=dict)


class OpenPositions:
    """Every open position, with the few fields suitability needs."""

    def __init__(self, session: Session, *, on: date | None = None) -> None:
        on = on or tianjin_today()
        from portal.positions.service import open_positions_filter  # the one definition of "open"

        rows = session.exec(
            select(Position.id, Position.district, Position.accessible, Position.is_support,
                   Position.degree_required, Position.majors)
            .where(open_positions_filter(on=on))
        ).all()
        self.by_id: dict[int, OpenPosition] = {}
        self.by_major: dict[str, list[OpenPosition]] = defaultdict(list)
        self.any_major: list[OpenPosition] = []
        self.by_district: dict[str, list[OpenPosition]] = defaultdict(list)
        for pid, district, accessible, is_support, degree, majors in rows:
            p = OpenPosition(pid, district, bool(accessible), bool(is_support), DEGREE_RANK.get(degree, 0),
                             tuple(majors or ()))
            self.by_id[pid] = p
            self.by_district[district].append(p)
            if p.majors:
                for major in p.majors:
                    self.by_major[major].append(p)
            else:
                self.any_major.append(p)

    def __contains__(self, position_id: int) -> bool:
        return position_id in self.by_id

    def meets(self, position_id: int, constraints: Constraints) -> bool:
        """Open, and within the graduate's degree, districts and accessibility needs."""
        p = self.by_id.get(position_id)
        return p is not None and _meets(p, constraints)

    def diagnose(self, constraints: Constraints, excluded: set[int]) -> tuple[str, dict]:
        """Why no further suitable position can be offered: a reason code and the counts behind it."""
        degree_ok = [p for p in self.by_id.values() if p.degree_rank <= constraints.degree_rank]
        major_ok = [p for p in self.by_major.get(constraints.major, []) + self.any_major
                    if p.degree_rank <= constraints.degree_rank]
        in_districts = [p for p in major_ok if not constraints.districts or p.district in constraints.districts]
        accessible = [p for p in in_districts if p.accessible or not constraints.needs_accessible]
        fresh = [p for p in accessible if p.id not in excluded]
        detail = {"open": len(degree_ok), "major": len(major_ok), "districts": len(in_districts),
                  "accessible": len(accessible), "not_yet_offered": len(fresh),
                  "preferred_districts": sorted(constraints.districts), "major_name": constraints.major}
        if not degree_ok:
            return "no_open_positions", detail
        if not major_ok:
            return "no_major_match", detail
        if not in_districts:
            return "no_major_match_in_districts", detail
        if not accessible:
            return "no_accessible_match", detail
        if not fresh:
            return "all_suitable_offered", detail
        return "matcher_finds_no_fit", detail


def _meets(p: OpenPosition, c: Constraints) -> bool:
    return (p.degree_rank <= c.degree_rank
            and (not c.districts or p.district in c.districts)
            and (p.accessible or not c.needs_accessible))


class Suitability:
    """Proposes suitable positions for a graduate, best first, support positions before the others."""

    def __init__(self, search, open_positions: OpenPositions, *, min_fit: int = DEFAULT_MIN_FIT) -> None:
        self.search = search
        self.open = open_positions
        self.min_fit = min_fit
        self.uses_matcher = search is not None and callable(getattr(search, "recommend_positions", None))
        # The embedded backend evaluates the matching model in Python over every open position; restricting it to
        # the positions that meet the constraints gives the same ranking at a fraction of the cost.
        self._interpreter = _embedded_interpreter(search)

    def candidates(self, graduate_doc: dict, constraints: Constraints, *, excluded: set[int], want: int) -> list[Candidate]:
        if want <= 0:
            return []
        if self.uses_matcher:
            try:
                return self._from_matcher(graduate_doc, constraints, excluded, want)
            except NotImplementedError:
                self.uses_matcher = False
        return self._from_database(constraints, excluded, want)

    def _from_matcher(self, graduate_doc: dict, constraints: Constraints, excluded: set[int], want: int):
        if self._interpreter is not None:
            try:
                return self._from_embedded(graduate_doc, constraints, excluded, want)
            except Exception:  # the private interpreter changed shape: use the public interface
                log.exception("embedded fast path failed; using recommend_positions")
                self._interpreter = None
        found: dict[int, Candidate] = {}
        for limit in RECOMMEND_LIMITS:
            matches = self.search.recommend_positions(graduate_doc, limit=limit)
            for match in matches:
                if match.fit < self.min_fit:
                    break  # best first: nothing further down is a fit
                pid = match.position.id
                p = self.open.by_id.get(pid)
                if pid in excluded or pid in found or p is None or not _meets(p, constraints):
                    continue
                found[pid] = Candidate(pid, match.fit, match.score, p.is_support, match.reasons.model_dump())
            exhausted = len(matches) < limit or (matches and matches[-1].fit < self.min_fit)
            if exhausted or len(found) >= want:
                break
        return _best(found.values(), want)

    def _from_embedded(self, graduate_doc: dict, constraints: Constraints, excluded: set[int], want: int):
        """The embedded backend's interpreter and the one matching model, with the constraints as extra filters.

        The plan is the matcher's own (recommendation_plan: open, degree, relevance gate, signals, decays); the
        districts and accessibility become two more filters, so the backend's postings pick the smallest candidate
        set and the ranking is exactly what recommend_positions would give over the suitable positions.
        """
        from search import matching
        from search.backend import position_match

        run, sort_key, candidates = self._interpreter
        plan = matching.recommendation_plan(graduate_doc, today=matching.default_today(), now=matching.default_now())
        if constraints.districts:
            plan.filters.append(matching.Terms("district", tuple(sorted(constraints.districts))))
        if constraints.needs_accessible:
            plan.filters.append(matching.Term("accessible", True))
        found = []
        for doc, score, names in run(plan, (d for d in candidates("position", plan) if d["id"] not in excluded)):
            p = self.open.by_id.get(doc["id"])
            if p is None or not _meets(p, constraints):
                continue  # the backend's documents may lag the database by a moment
            match = position_match(doc, score, names)
            if match.fit >= self.min_fit:
                found.append((sort_key(plan, doc, score), Candidate(p.id, match.fit, match.score, p.is_support,
                                                                     match.reasons.model_dump())))
        found.sort(key=lambda pair: pair[0])  # the matcher's own order: score, then its tie-breakers
        return _best([c for _, c in found], want)

    def _from_database(self, constraints: Constraints, excluded: set[int], want: int):
        """Only for a backend without recommendations: the constraints and the major, no matcher score."""
        pool = self.open.by_major.get(constraints.major, []) + self.open.any_major
        found = [Candidate(p.id, 0, 0.0, p.is_support, {"signals": ["major" if p.majors else "major_open"],
                                                         "fallback": True})
                 for p in pool if p.id not in excluded and _meets(p, constraints)]
        return _best(found, want)


def _embedded_interpreter(search):
    """(run, sort_key, documents) of the embedded backend, or None for any other backend."""
    try:
        from search.embedded import EmbeddedBackend, _sort_key
    except ImportError:
        return None
    if not isinstance(search, EmbeddedBackend) or not callable(getattr(search, "candidates", None)):
        return None
    return search._run, _sort_key, search.candidates


def _best(candidates, want: int) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (not c.is_support, -c.fit, -c.score, c.position_id))[:want]
