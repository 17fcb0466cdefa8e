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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal.accounts.models import DEGREE_RANK
from portal.clock import today as tianjin_today
from portal.positions.models import Position

DEFAULT_MIN_FIT = 30  # out of 100: below this the matcher does not call it a fit


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
    """Proposes suitable positions for a graduate, best fit first (a support post only breaks ties), through the
    search backend's public ranking call with the case's constraints as filters."""

    uses_matcher = True

    def __init__(self, search, open_positions: OpenPositions, *, min_fit: int = DEFAULT_MIN_FIT) -> None:
        self.search = search
        self.open = open_positions
        self.min_fit = min_fit

    def candidates(self, graduate_doc: dict, constraints: Constraints, *, excluded: set[int], want: int) -> list[Candidate]:
        if want <= 0:
            return []
        from search.matching import Constraints as SearchConstraints

        wanted = SearchConstraints(districts=tuple(sorted(constraints.districts)),
                                   accessible_only=constraints.needs_accessible,
                                   exclude=tuple(sorted(excluded)), min_fit=self.min_fit)
        # The case itself is what makes the graduate eligible for support posts and records their needs.
        graduate = {**graduate_doc, "in_ledger": True,
                    "needs_accessible": bool(graduate_doc.get("needs_accessible") or constraints.needs_accessible)}
        found = []
        for match in self.search.recommend_positions(graduate, limit=want, constraints=wanted):
            p = self.open.by_id.get(match.position.id)
            if p is not None and _meets(p, constraints):  # the index may lag the database by a moment
                found.append(Candidate(p.id, match.fit, match.score, p.is_support, match.reasons.model_dump()))
        return found
