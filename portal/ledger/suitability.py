"""Which open positions suit a graduate in the ledger: the matcher proposes, the graduate's constraints decide.

A position is suitable when
  * it is open (published by a verified employer, deadline not passed) and the graduate's degree meets it,
  * the matcher (the search backend's `recommend_positions`, search/matching.py's one model) finds it relevant
    and rates it at least `min_fit` out of 100, and
  * it meets the graduate's stated constraints: an accessible workplace for a graduate who needs one (stated on
    the profile or recorded on the ledger file), one of the preferred districts and job kinds (when any are
    stated), and it is not yet promised to more graduates than its headcount allows (`offer_cap`).

When a case stays short, `Funnel` names what truly eliminated the candidates, in order: the relevant open
positions, then degree, accessibility, district, kind, fit, already offered, offer cap, with the count left after
each step.

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


RELEVANT_LIMIT = 200  # how many of the matcher's relevant positions a shortfall's funnel starts from


@dataclass(frozen=True)
class OpenPosition:
    id: int
    district: str
    accessible: bool
    is_support: bool
    degree_rank: int
    majors: tuple[str, ...]
    kind: str = ""
    headcount: int = 1


@dataclass(frozen=True)
class Constraints:
    degree_rank: int
    major: str
    districts: frozenset[str]  # empty: anywhere
    needs_accessible: bool
    kinds: frozenset[str] = frozenset()  # empty: any kind


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
                   Position.degree_required, Position.majors, Position.kind, Position.headcount)
            .where(open_positions_filter(on=on))
        ).all()
        self.by_id: dict[int, OpenPosition] = {}
        self.by_major: dict[str, list[OpenPosition]] = defaultdict(list)
        self.any_major: list[OpenPosition] = []
        self.by_district: dict[str, list[OpenPosition]] = defaultdict(list)
        for pid, district, accessible, is_support, degree, majors, kind, headcount in rows:
            p = OpenPosition(pid, district, bool(accessible), bool(is_support), DEGREE_RANK.get(degree, 0),
                             tuple(majors or ()), kind, max(1, headcount or 1))
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



FUNNEL = (  # step, the reason a case is short when nothing is left after it
    ("open", "no_open_positions"),
    ("degree", "no_position_for_degree"),
    ("accessible", "no_accessible_position"),
    ("district", "none_in_districts"),
    ("kind", "none_of_kinds"),
    ("fit", "none_fits"),
    ("not_offered", "all_suitable_offered"),
    ("under_cap", "all_suitable_at_cap"),
)


def funnel(open_positions: OpenPositions, relevant: dict[int, int], constraints: Constraints, *, min_fit: int,
           excluded: set[int], capped: set[int]) -> tuple[str, dict]:
    """Why no further suitable position can be offered: the first step of FUNNEL that leaves nothing, and the
    count left after every step. `relevant`: position id -> fit, the open positions the matcher finds relevant."""
    steps = {
        "open": lambda p: p.id in relevant,
        "degree": lambda p: p.degree_rank <= constraints.degree_rank,
        "accessible": lambda p: p.accessible or not constraints.needs_accessible,
        "district": lambda p: not constraints.districts or p.district in constraints.districts,
        "kind": lambda p: not constraints.kinds or p.kind in constraints.kinds,
        "fit": lambda p: relevant.get(p.id, 0) >= min_fit,
        "not_offered": lambda p: p.id not in excluded,
        "under_cap": lambda p: p.id not in capped,
    }
    left = [open_positions.by_id[pid] for pid in relevant if pid in open_positions.by_id]
    counts: dict[str, int] = {}
    reason = "matcher_finds_no_fit"  # every step leaves something: the matcher's list ran out first
    for step, code in FUNNEL:
        left = [p for p in left if steps[step](p)]
        counts[step] = len(left)
        if not left and reason == "matcher_finds_no_fit":
            reason = code
    return reason, {"funnel": counts, "preferred_districts": sorted(constraints.districts),
                    "kinds": sorted(constraints.kinds), "major_name": constraints.major}


def _meets(p: OpenPosition, c: Constraints) -> bool:
    return (p.degree_rank <= c.degree_rank
            and (not c.districts or p.district in c.districts)
            and (not c.kinds or p.kind in c.kinds)
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
        return self.candidates_many([(graduate_doc, constraints, excluded, want)])[0]

    def candidates_many(self, requests: list[tuple[dict, Constraints, set[int], int]]) -> list[list[Candidate]]:
        """`candidates` for many (graduate document, constraints, positions to leave out, how many) at once: one
        request to the search backend."""
        answers = iter(self.search.recommend_many([self._ask(*request) for request in requests if request[3] > 0]))
        return [self._suitable(request, next(answers)) if request[3] > 0 else [] for request in requests]

    def _ask(self, graduate_doc: dict, constraints: Constraints, excluded: set[int], want: int):
        from search.backend import Recommendation
        from search.matching import Constraints as SearchConstraints

        wanted = SearchConstraints(
            districts=tuple(sorted(constraints.districts)), kinds=tuple(sorted(constraints.kinds)),
            accessible_only=constraints.needs_accessible, exclude=tuple(sorted(excluded)), min_fit=self.min_fit)
        # The case itself is what makes the graduate eligible for support posts and records their needs.
        graduate = {**graduate_doc, "in_ledger": True, "needs_accessible": bool(
            graduate_doc.get("needs_accessible") or constraints.needs_accessible)}
        return Recommendation(graduate, want, wanted)

    def _suitable(self, request: tuple[dict, Constraints, set[int], int], matches) -> list[Candidate]:
        """The matches that are open and meet the case's constraints in the database. The index can lag the
        database by a moment (a position closed or changed since it was last brought up to date): the matcher is
        then asked again without those, as an index up to date would have answered."""
        graduate_doc, constraints, excluded, want = request
        while True:
            found, stale = [], set()
            for match in matches:
                p = self.open.by_id.get(match.position.id)
                if p is not None and _meets(p, constraints):
                    found.append(Candidate(p.id, match.fit, match.score, p.is_support, match.reasons.model_dump()))
                else:
                    stale.add(match.position.id)
            if not stale or len(matches) < want:
                return found
            excluded = excluded | stale
            matches = self.search.recommend_many([self._ask(graduate_doc, constraints, excluded, want)])[0]

    def relevant(self, graduate_doc: dict) -> dict[int, int]:
        """position id -> fit of the open positions the matcher finds relevant to the graduate, before any of the
        case's constraints (degree, accessibility, districts, kinds) or the minimum fit: where a funnel starts."""
        from search.matching import Constraints as SearchConstraints

        relaxed = {**graduate_doc, "in_ledger": True, "needs_accessible": False, "degree_rank": 99,
                   "expected_kinds": []}
        return self.search.position_fits(relaxed, limit=RELEVANT_LIMIT, constraints=SearchConstraints())
