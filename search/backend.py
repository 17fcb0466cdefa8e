"""The one interface both search backends implement, and the helpers they share.

Backends interpret the plans of search/matching.py; what comes back is built here from what matched, so the
Elasticsearch and the embedded backend cannot phrase their results differently.
"""
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import date, datetime

from search.documents import POSITION, RESUME
from search.matching import MAX_SCORE
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
        self, graduate: dict, *, limit: int = 10, today: date | None = None, now: datetime | None = None
    ) -> list[PositionMatch]:
        """Open positions ranked for a graduate document (documents.graduate_doc), each with its reasons."""

    @abstractmethod
    def rank_candidates(
        self, position: dict, *, graduate_ids: list[int] | None, limit: int = 20, now: datetime | None = None
    ) -> list[CandidateMatch]:
        """Graduates ranked for a position document: these applicants, or (None) discoverable graduates."""

    @abstractmethod
    def similar_positions(self, position_id: int, *, limit: int = 5, today: date | None = None) -> list[PositionHit]: ...

    @abstractmethod
    def health(self) -> Health: ...

    # ---- conveniences ------------------------------------------------------------------------------------------
    def index_positions(self, docs: list[dict], **kw) -> BulkReport:
        return self.index(POSITION, docs, **kw)

    def delete_positions(self, ids: Iterable[int], **kw) -> BulkReport:
        return self.delete(POSITION, ids, **kw)

    def index_resumes(self, docs: list[dict], **kw) -> BulkReport:
        return self.index(RESUME, docs, **kw)

    def delete_resumes(self, ids: Iterable[int], **kw) -> BulkReport:
        return self.delete(RESUME, ids, **kw)


# ---- result builders shared by the backends ------------------------------------------------------------------------
HIT_FIELDS = tuple(PositionHit.model_fields)


def position_hit(doc: dict, *, score: float | None = None, highlights: dict | None = None) -> PositionHit:
    data = {k: doc[k] for k in HIT_FIELDS if k in doc}
    return PositionHit(**data, score=score, highlights=highlights or {})


def reasons_from(names: Iterable[str], position_doc: dict) -> Reasons:
    """Reasons from the names of the signals that matched; skills are spelled as the position spells them."""
    names = sorted(set(names))
    spelled = dict(zip(position_doc.get("skills_norm") or [], position_doc.get("skills") or []))
    matched_keys = {n.removeprefix("skill:") for n in names if n.startswith("skill:")}
    return Reasons(
        matched_skills=[spelled.get(k, k) for k in position_doc.get("skills_norm") or [] if k in matched_keys],
        missing_skills=[spelled.get(k, k) for k in position_doc.get("skills_norm") or [] if k not in matched_keys],
        major="match" if "major" in names else ("open" if "major_open" in names else None),
        district="district" in names,
        kind="kind" in names,
        salary="salary" in names,
        text="strong" if "text_strong" in names else ("some" if "text_some" in names else None),
        signals=names,
    )


def fit(score: float) -> int:
    return max(0, min(100, round(score / MAX_SCORE * 100)))


def position_match(doc: dict, score: float, names: Iterable[str]) -> PositionMatch:
    return PositionMatch(position=position_hit(doc, score=score), score=round(score, 4), fit=fit(score),
                         reasons=reasons_from(names, doc))


def candidate_match(resume: dict, position: dict, score: float, names: Iterable[str], applied: bool) -> CandidateMatch:
    return CandidateMatch(
        graduate_id=resume["graduate_id"], school=resume["school"], major=resume["major"], degree=resume["degree"],
        graduation_year=resume.get("graduation_year"), headline=resume.get("headline", ""),
        skills=resume.get("skills", []), score=round(score, 4), fit=fit(score),
        reasons=reasons_from(names, position), applied=applied,
    )
