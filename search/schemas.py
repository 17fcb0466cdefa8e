"""Queries and results that cross the backend interface, the services, the pages and the JSON API."""
from datetime import date

from pydantic import BaseModel, Field, field_validator, model_validator


MAX_RESULT_WINDOW = 10_000


class PositionQuery(BaseModel):
    q: str = ""
    district: list[str] = []
    kind: list[str] = []
    degree: str | None = None  # the searcher's degree: positions requiring at most this
    major: str | None = None  # positions open to this major (named or any major)
    salary_min: int | None = Field(default=None, ge=0, le=1_000_000)  # top salary at least this
    deadline_after: date | None = None
    deadline_before: date | None = None
    support_only: bool = False
    accessible_only: bool = False
    sort: str = "relevance"  # relevance | date | salary | deadline
    page: int = Field(default=1, ge=1, le=500)
    per_page: int = Field(default=20, ge=1, le=50)

    @field_validator("sort")
    @classmethod
    def known_sort(cls, value: str) -> str:
        return value if value in ("relevance", "date", "salary", "deadline") else "relevance"

    @field_validator("q")
    @classmethod
    def short_query(cls, value: str) -> str:
        return (value or "").strip()[:100]

    @model_validator(mode="after")
    def within_result_window(self) -> "PositionQuery":
        # Deep pages are for crawlers, not people; both backends stop at the 10,000th hit.
        self.page = min(self.page, MAX_RESULT_WINDOW // self.per_page)
        return self


class PositionHit(BaseModel):
    id: int
    title: str
    org_name: str
    organization_id: int
    district: str
    kind: str
    degree_required: str
    salary_min: int
    salary_max: int
    deadline: date
    is_support: bool = False
    accessible: bool = False
    skills: list[str] = []
    score: float | None = None
    # field -> fragments with <mark> around matches; HTML-escaped, safe to render
    highlights: dict[str, list[str]] = {}


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchResults(BaseModel):
    total: int
    page: int
    per_page: int
    hits: list[PositionHit]
    facets: dict[str, list[FacetBucket]] = {}
    backend: str = ""
    degraded: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class Reasons(BaseModel):
    """Why a match scored: only what the engine's named conditions matched. Skills are spelled as the position
    spells them."""
    matched_skills: list[str] = []  # the position's skills the graduate has
    related_skills: list[str] = []  # the position's skills close to one the graduate has (same skill family)
    described_skills: list[str] = []  # skills the position's description names that the graduate has
    missing_skills: list[str] = []  # the position's skills not covered
    major: str | None = None  # "match" | "related" (same 专业类) | "open"
    title: bool = False  # the title is the job the headline asks for
    field: bool = False  # the same job family
    district: bool = False  # a preferred district
    district_near: bool = False  # next to a preferred district
    kind: bool = False  # a job kind asked for
    other_kind: bool = False  # not a kind asked for: shown below those, labelled
    long_shot: bool = False  # the position names only majors of other classes: shown last, labelled
    salary: bool = False
    signals: list[str] = []  # the raw names, sorted


class PositionMatch(BaseModel):
    position: PositionHit
    score: float
    fit: int  # 0-100, score against the model's maximum
    reasons: Reasons


class CandidateMatch(BaseModel):
    """A graduate as an employer may see them: no contact data, no sensitive attributes."""
    graduate_id: int
    school: str
    major: str
    degree: str
    graduation_year: int | None = None
    headline: str = ""
    skills: list[str] = []
    score: float
    fit: int
    reasons: Reasons
    applied: bool = False


class RecommendationList(BaseModel):
    items: list[PositionMatch]
    backend: str = ""
    degraded: bool = False


class CandidateList(BaseModel):
    applicants: list[CandidateMatch]
    suggested: list[CandidateMatch]
    unranked_applicants: int = 0  # applicants below the degree requirement or without a résumé
    backend: str = ""
    degraded: bool = False


class BulkReport(BaseModel):
    indexed: int = 0
    deleted: int = 0
    failed: dict[int, str] = {}  # entity id -> error


class DriftReport(BaseModel):
    entity: str
    missing: list[int] = []  # searchable in the database, absent from the index
    stale: list[int] = []  # indexed, but the index holds an older version
    extra: list[int] = []  # in the index, no longer searchable in the database

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


class Health(BaseModel):
    backend: str
    ok: bool
    detail: str = ""
