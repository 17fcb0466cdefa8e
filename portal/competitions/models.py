"""Innovation and entrepreneurship competitions (e.g. 天开杯): tracks, published criteria, teams of graduates with a
project, the judges of each track, their scores and declared conflicts of interest, results and incubation support."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class CompetitionStatus(StrEnum):
    draft = "draft"
    open = "open"  # teams register and submit
    judging = "judging"  # judges score; none sees another's scores
    round_closed = "round_closed"  # scores are in: judges see them all; the organiser decides the awards
    results_published = "results_published"


class Competition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    summary: str = Field(max_length=2000)
    rules: str = Field(max_length=8000)
    prizes: str = Field(max_length=2000)
    # [{"name": "创新性", "weight": 30}, ...]: each scored 0 to 10, weights adding up to 100
    criteria: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    registration_closes_at: datetime
    judging_ends_at: datetime
    results_at: datetime
    series_id: int | None = Field(default=None, foreign_key="fairseries.id")  # its forums and report meetings
    status: str = Field(default=CompetitionStatus.draft, max_length=20, index=True)
    organizer_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class CompetitionTrack(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    name: str = Field(max_length=60)


class EntryStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"


class IncubationStatus(StrEnum):
    requested = "requested"
    offered = "offered"
    declined = "declined"


class CompetitionEntry(SQLModel, table=True):
    """A team's project in a track."""

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    track_id: int = Field(foreign_key="competitiontrack.id", index=True)
    project_name: str = Field(max_length=120)
    summary: str = Field(max_length=3000)
    leader_id: int = Field(foreign_key="user.id", index=True)
    deck_key: str | None = Field(default=None, max_length=200)  # storage key of the pitch deck (a PDF)
    deck_name: str | None = Field(default=None, max_length=200)
    deck_size: int | None = None
    status: str = Field(default=EntryStatus.draft, max_length=16, index=True)
    submitted_at: datetime | None = None
    final_score: float | None = None  # the mean of the judges' totals, once the round closes
    award: str | None = Field(default=None, max_length=60)
    incubation_status: str | None = Field(default=None, max_length=16)
    incubation_needs: str | None = Field(default=None, max_length=2000)
    incubation_answer: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class TeamMember(SQLModel, table=True):
    """A graduate on a team; they confirm by their own account. A graduate is on one team per competition."""

    __table_args__ = (UniqueConstraint("competition_id", "graduate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="competitionentry.id", index=True)
    competition_id: int = Field(foreign_key="competition.id")
    graduate_id: int = Field(foreign_key="user.id", index=True)
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class JudgeAssignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("track_id", "judge_id"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    track_id: int = Field(foreign_key="competitiontrack.id", index=True)
    judge_id: int = Field(foreign_key="user.id", index=True)


class ConflictOfInterest(SQLModel, table=True):
    """A judge's declaration: they are skipped for that team."""

    __table_args__ = (UniqueConstraint("entry_id", "judge_id"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="competitionentry.id", index=True)
    judge_id: int = Field(foreign_key="user.id")
    reason: str = Field(max_length=500)
    declared_at: datetime = Field(default_factory=utcnow)


class Score(SQLModel, table=True):
    """One judge's score of one entry, given once."""

    __table_args__ = (UniqueConstraint("entry_id", "judge_id"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="competitionentry.id", index=True)
    judge_id: int = Field(foreign_key="user.id", index=True)
    marks: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # criterion -> 0..10
    total: float  # weighted, out of 100
    comment: str = Field(default="", max_length=2000)
    submitted_at: datetime = Field(default_factory=utcnow)
