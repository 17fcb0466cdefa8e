from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class EnrolmentSource(StrEnum):
    """Who vouched for the school, student number, graduation year and degree on a graduate's profile."""

    officer = "officer"  # the school's officer confirmed them, or approved the graduate's change
    roster = "roster"  # the school's graduate roster, imported by its officer
    sso = "sso"  # the campus identity provider's claims


class EnrolmentRecord(SQLModel, table=True):
    """Where the profile's enrolment came from; a graduate without one has only said it at sign-up."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    source: str = Field(max_length=16)
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime = Field(default_factory=utcnow)


class ChangeStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    superseded = "superseded"  # the graduate asked for something else, or the roster settled it


class EnrolmentChangeBase(SQLModel):
    school: str = Field(max_length=100)
    student_number: str = Field(max_length=40)
    degree: str = Field(max_length=16)
    graduation_year: int


class EnrolmentChange(EnrolmentChangeBase, table=True):
    """A graduate's edit of their enrolment, waiting for an officer of the school it names."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=ChangeStatus.pending, max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    note: str | None = Field(default=None, max_length=500)
