from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class Resume(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", unique=True)
    headline: str = Field(default="", max_length=120)
    self_intro: str = ""
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Lists of small dicts; their shapes are the schemas in resumes/schemas.py.
    education: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    experience: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    projects: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expected_districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expected_kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expected_salary_min: int | None = None
    expected_salary_max: int | None = None
    pdf_file: str | None = Field(default=None, max_length=200)  # name under uploads/, never a web path
    pdf_original_name: str | None = Field(default=None, max_length=200)
    pdf_size: int | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class VerifiedSkill(SQLModel, table=True):
    """A skill someone other than the graduate vouches for (a training provider's certificate), shown as verified."""

    __table_args__ = (UniqueConstraint("graduate_id", "skill", "reference"),)
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    skill: str = Field(max_length=40)
    certificate: str = Field(max_length=120)
    certificate_number: str | None = Field(default=None, max_length=60)
    issuer: str = Field(max_length=120)
    reference: str = Field(max_length=60)  # what vouches for it, e.g. "training-enrolment:12"
    verified_at: datetime = Field(default_factory=utcnow)
