"""The one interface both search backends implement, and the helpers they share.

Backends interpret the plans of search/matching.py; what comes back is built here from what matched, so the
Elasticsearch and the embedded backend cannot phrase their results differently.
"""
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from search.matching import MAX_SCORE, SEARCH_FIELDS, TIERS, Constraints
from search.schemas import (
    BulkReport,
    CandidateMatch,
    Health,
    PositionHit,
    PositionMatch,
    PositionQuery,
    Reasons,
    SearchResults,
)


class SearchUnavailable(Exception):
    """The search engine cannot be reached or refused the request; the caller may fall back or retry later."""


@dataclass(frozen=True)
class Recommendation:
    """One request of `recommend_many`: a graduate document, how many positions, and any constraints."""
    graduate: dict
    limit: int = 10
    constraints: Constraints | None = None


class SearchBackend(ABC):
    name: str = "abstract"
    # False when the backend reads the database directly and keeps no index of its own (nothing to sync or drift).
    keeps_index: bool = True

    # ---- writing -----------------------------------------------------------------------------------------------
    @abstractmethod
    def ensure_indexes(self) -> None:
        """Creates the indexes and aliases when absent."""

    @abstractmethod
    def index(self, entity: str, docs: list[dict], *, refresh: bool = False) -> BulkReport:
        """Adds or replaces documents (search/documents.py) in bulk."""

    @abstractmethod
    def delete(self, entity: str, ids: Iterable[int], *, refresh: bool = False) -> BulkReport:
        """Removes documents in bulk; absent ones count as removed."""

    @abstractmethod
    def reindex(self, entity: str, docs: Iterable[dict]) -> str:
        """Builds a fresh versioned index from `docs` and swaps the alias to it; returns the new index's name."""

    @abstractmethod
    def indexed_hashes(self, entity: str) -> dict[int, str]:
        """id -> doc_hash of every indexed document, for drift checks."""

    def refresh(self) -> None:
        """Makes recent writes visible to searches (tests)."""

    # ---- reading -----------------------------------------------------------------------------------------------
    @abstractmethod
    def search_positions(self, query: PositionQuery, *, today: date | None = None) -> SearchResults: ...

    @abstractmethod
    def recommend_positions(
        self, graduate: dict, *, limit: int = 10, today: date | None = None, now: datetime | None = None,
        constraints: Constraints | None = None,
    ) -> list[PositionMatch]:
        """Open positions ranked for a graduate document (documents.graduate_doc), each with its reasons. With
        `constraints` (the support ledger's offers): districts, kinds and accessibility as filters, positions to
        exclude and a minimum fit; only the `limit` best are fetched."""

    def recommend_many(self, requests: Sequence[Recommendation], *, today: date | None = None,
                       now: datetime | None = None) -> list[list[PositionMatch]]:
        """`recommend_positions` for each request, in order (the support ledger's top-up asks for many at once)."""
        return [self.recommend_positions(r.graduate, limit=r.limit, today=today, now=now, constraints=r.constraints)
                for r in requests]

    @abstractmethod
    def position_fits(
        self, graduate: dict, *, limit: int, today: date | None = None, now: datetime | None = None,
        constraints: Constraints | None = None,
    ) -> dict[int, int]:
        """Position id -> fit (0-100) of what `recommend_positions` would return, without the positions or the
        reasons: for counting many at once (where the support ledger's shortfall funnel starts)."""

    @abstractmethod
    def rank_candidates(
        self, position: dict, *, graduate_ids: list[int] | None, limit: int = 20, now: datetime | None = None
    ) -> list[CandidateMatch]:
        """Graduates ranked for a position document: these applicants, or (None) discoverable graduates."""

    @abstractmethod
    def similar_positions(self, position_id: int, *, limit: int = 5, today: date | None = None) -> list[PositionHit]: ...

    @abstractmethod
    def health(self) -> Health: ...


# ---- result builders shared by the backends ------------------------------------------------------------------------
HIT_FIELDS = tuple(PositionHit.model_fields)


def position_hit(doc: dict, *, score: float | None = None, highlights: dict | None = None) -> PositionHit:
    data = {k: doc[k] for k in HIT_FIELDS if k in doc}
    return PositionHit(**data, score=score, highlights=highlights or {})


def highlights(doc: dict, units: list[tuple[str, ...]]) -> dict[str, list[str]]:
    """field -> [HTML with the whole words and concepts that matched in <mark>], for the searchable fields that
    matched; long fields as one fragment around the first match. The same for both backends."""
    from search.text import first_match, mark

    wanted = {t for unit in units for t in unit}
    found: dict[str, list[str]] = {}
    for name, (_, fragment) in SEARCH_FIELDS.items():
        text = doc.get(name) or ""
        indexed = set((doc.get(f"{name}_terms") or "").split())
        if not text or wanted.isdisjoint(indexed):
            continue
        if fragment and len(text) > fragment:
            start = max(0, first_match(text, units) - fragment // 5)
            text = text[start:start + fragment]
        found[name] = [mark(text, units)]
    return found


def reasons_from(names: Iterable[str], position_doc: dict, *, graduate_side: bool = True) -> Reasons:
    """Reasons from the names of the signals that matched. `graduate_side`: the skill signals are named after the
    graduate's skills (recommendations) rather than the position's (candidate lists)."""
    names = sorted(set(names))
    own = list(position_doc.get("skills_norm") or [])
    spelled = dict(zip(own, position_doc.get("skills") or []))
    described = dict(zip(position_doc.get("skills_text_norm") or [], position_doc.get("skills_text_spelled") or []))
    matched = {n.split(":", 1)[1] for n in names if n.startswith(("skill:", "generic:"))}
    related_of = {n.split(":", 1)[1] for n in names if n.startswith("related:")}
    if graduate_side:
        from search.vocabulary import related_skills
        related = {k for k in own if k not in matched and any(k in related_skills(g) for g in related_of)}
    else:
        related = related_of - matched
    text_hits = {n.split(":", 1)[1] for n in names if n.startswith("skill_text:")}
    return Reasons(
        matched_skills=[spelled[k] for k in own if k in matched],
        related_skills=[spelled[k] for k in own if k in related],
        described_skills=[described[k] for k in described if k in text_hits],
        missing_skills=[spelled[k] for k in own if k not in matched and k not in related
                        and (graduate_side or k not in text_hits)],
        major="match" if "major" in names else ("related" if "major_related" in names else (
            "open" if "major_open" in names else None)),
        title="title" in names, field="field" in names,
        district="district" in names, district_near="district_near" in names and "district" not in names,
        kind="kind" in names, other_kind="kind" not in names and bool(position_doc.get("_kind_tier")),
        long_shot="majors_fit" not in names and bool(position_doc.get("_majors_tier")),
        salary="salary" in names,
        signals=names,
    )


def fit(score: float, names: Iterable[str] = ()) -> int:
    """0-100: the score without the tiers (kind asked for, majors that fit), against the model's maximum."""
    tiers = sum(TIERS.get(n, 0.0) for n in set(names))
    return max(0, min(100, round((score - tiers) / MAX_SCORE * 100)))


def position_match(doc: dict, score: float, names: Iterable[str], tiers: Iterable[str] = ()) -> PositionMatch:
    names = list(names)
    doc = {**doc, **{f"_{t}_tier": True for t in tiers}}
    return PositionMatch(position=position_hit(doc, score=score), score=round(score, 4), fit=fit(score, names),
                         reasons=reasons_from(names, doc))


def tier_signals(plan) -> list:
    """The tier signals a plan ranks by: a fit leaves them out."""
    return [s for s in plan.signals if s.name in TIERS]


def plan_tiers(plan) -> list[str]:
    """The names of the tiers a plan ranks by (absent ones are labelled on the match)."""
    return [s.name for s in tier_signals(plan)]


def candidate_match(resume: dict, position: dict, score: float, names: Iterable[str], applied: bool,
                    tiers: Iterable[str] = ()) -> CandidateMatch:
    """A graduate as an employer sees them: the résumé's public parts and the reasons (never a need or ledger
    status, which the documents keep only to filter on)."""
    names = list(names)
    labelled = {**position, **{f"_{t}_tier": True for t in tiers}}
    return CandidateMatch(
        graduate_id=resume["graduate_id"], school=resume["school"], major=resume["major"], degree=resume["degree"],
        graduation_year=resume.get("graduation_year"), headline=resume.get("headline", ""),
        skills=resume.get("skills", []), score=round(score, 4), fit=fit(score, names),
        reasons=reasons_from(names, labelled, graduate_side=False), applied=applied,
    )
