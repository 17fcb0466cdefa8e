from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from portal.accounts.models import Degree
from portal.accounts.schemas import SchoolDegree


class EnrolmentChangeCreate(SchoolDegree):
    """What a graduate asks the school to put on record."""

    school: str = Field(min_length=2, max_length=100)
    student_number: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
    degree: Degree
    graduation_year: int = Field(ge=2000, le=2100)

    @field_validator("school", "student_number", mode="before")
    @classmethod
    def strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class EnrolmentChangePublic(BaseModel):
    id: int
    school: str
    student_number: str
    degree: str
    graduation_year: int
    status: str
    created_at: datetime
    decided_at: datetime | None
    note: str | None


class EnrolmentPublic(BaseModel):
    """The enrolment on record, who vouched for it (None: only declared at sign-up), and any change waiting."""

    school: str
    student_number: str
    degree: str
    graduation_year: int
    source: str | None
    pending: EnrolmentChangePublic | None


class ChangeDecision(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=500)


class RosterResult(BaseModel):
    confirmed: int  # graduates whose enrolment the roster confirmed as it was
    updated: int  # graduates whose enrolment the roster changed
    unmatched: list[str]  # student numbers of rows no graduate on the portal matches
