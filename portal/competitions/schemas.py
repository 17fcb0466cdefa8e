"""What officers, teams and judges send about competitions, and what the API shows of them."""
import re
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from portal.clock import from_local
from portal.validation import CleanInput, RowId

LocalTime = Annotated[datetime, AfterValidator(from_local)]
MAX_MARK = 10


def _stripped(value: object) -> object:
    # Only text is stripped; anything else (a list, a number) goes on to the type check, which refuses it (422).
    return (value or "").strip() if isinstance(value, str) or value is None else value


def _lines(value: object) -> list[str]:
    """A textarea's non-blank lines (or a list as it is)."""
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [str(item).strip() for item in items if str(item).strip()]


def _criteria(value: object) -> list[dict]:
    """Lines "name weight" (or "name：weight"), or a list of {name, weight}, as [{name, weight}]."""
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    criteria = []
    for line in _lines(value):
        match = re.fullmatch(r"(.+?)[\s:：,，]+(\d{1,3})%?", line)
        if match is None:
            raise ValueError("Write each criterion on its own line: its name, then its weight.")
        criteria.append({"name": match.group(1).strip(), "weight": int(match.group(2))})
    return criteria


class Criterion(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    weight: int = Field(ge=1, le=100)


class CompetitionCreate(CleanInput):
    title: str = Field(min_length=2, max_length=120)
    summary: str = Field(min_length=2, max_length=2000)
    rules: str = Field(min_length=2, max_length=8000)
    prizes: str = Field(min_length=2, max_length=2000)
    tracks: Annotated[list[Annotated[str, Field(max_length=60)]], BeforeValidator(_lines)] = Field(min_length=1,
                                                                                                   max_length=10)
    criteria: Annotated[list[Criterion], BeforeValidator(_criteria)] = Field(min_length=1, max_length=10)
    registration_closes_at: LocalTime
    judging_ends_at: LocalTime
    results_at: LocalTime
    series_id: RowId | None = None

    _strip = field_validator("title", "summary", "rules", "prizes", mode="before")(_stripped)

    @field_validator("series_id", mode="before")
    @classmethod
    def _blank_series(cls, value):
        return None if value == "" else value

    @model_validator(mode="after")
    def _consistent(self) -> "CompetitionCreate":
        if sum(c.weight for c in self.criteria) != 100:
            raise ValueError("The weights of the criteria must add up to 100.")
        if len({c.name for c in self.criteria}) != len(self.criteria) or len(set(self.tracks)) != len(self.tracks):
            raise ValueError("Give every track and every criterion its own name.")
        if not self.registration_closes_at < self.judging_ends_at <= self.results_at:
            raise ValueError("Registration closes, then judging ends, then results come out.")
        return self


class EntryCreate(CleanInput):
    track_id: RowId
    project_name: str = Field(min_length=2, max_length=120)
    summary: str = Field(min_length=10, max_length=3000)

    _strip = field_validator("project_name", "summary", mode="before")(_stripped)


class MemberAdd(CleanInput):
    email: EmailStr


class ScoreCreate(CleanInput):
    """Marks in the order of the competition's criteria, each 0 to 10."""

    marks: list[Annotated[int, Field(ge=0, le=MAX_MARK)]] = Field(min_length=1, max_length=10)
    comment: str = Field(default="", max_length=2000)

    @field_validator("marks", mode="before")
    @classmethod
    def _one_mark_is_a_list(cls, value):
        return [value] if isinstance(value, (str, int)) else value


class ConflictDeclaration(CleanInput):
    reason: str = Field(min_length=2, max_length=500)

    _strip = field_validator("reason", mode="before")(_stripped)


class JudgeInvite(CleanInput):
    email: EmailStr
    display_name: str = Field(min_length=2, max_length=100)
    track_id: RowId

    _strip = field_validator("display_name", mode="before")(_stripped)


class AwardSet(CleanInput):
    award: str = Field(default="", max_length=60)

    _strip = field_validator("award", mode="before")(_stripped)


class IncubationRequest(CleanInput):
    needs: str = Field(min_length=10, max_length=2000)

    _strip = field_validator("needs", mode="before")(_stripped)


class IncubationAnswer(CleanInput):
    offer: bool
    answer: str = Field(min_length=2, max_length=2000)

    _strip = field_validator("answer", mode="before")(_stripped)


class TrackPublic(BaseModel):
    id: int
    name: str


class CompetitionPublic(BaseModel):
    id: int
    title: str
    summary: str
    rules: str
    prizes: str
    criteria: list[Criterion]
    tracks: list[TrackPublic]
    registration_closes_at: datetime
    judging_ends_at: datetime
    results_at: datetime
    status: str


class ResultPublic(BaseModel):
    entry_id: int
    track: str
    project_name: str
    final_score: float | None
    award: str | None


class JudgeScorePublic(BaseModel):
    """One judge's score as the team sees it: which judge is not said."""

    total: float
    marks: dict[str, int]
    comment: str


class EntryPublic(BaseModel):
    id: int
    competition_id: int
    track: str
    project_name: str
    summary: str
    status: str
    members: list[str]
    deck_name: str | None
    final_score: float | None
    award: str | None
    scores: list[JudgeScorePublic]  # once results are published


class JudgeEntryPublic(BaseModel):
    id: int
    track: str
    project_name: str
    summary: str
    my_total: float | None
