"""Resume and graduate-profile shapes: what forms and the API send, and what they get back."""
import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationInfo, field_validator

from portal import validation
from portal.accounts.models import Degree
from portal.positions.models import PositionKind

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _required(value: str) -> str:
    if not value:
        raise ValueError("This field is required.")
    return value


Text = Annotated[str, BeforeValidator(_strip)]
RequiredText = Annotated[str, BeforeValidator(_strip), AfterValidator(_required)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    if not _MONTH.match(value):
        raise ValueError("Enter a month such as 2024-09.")
    return value


class _Period(BaseModel):
    start: RequiredText = Field(max_length=7)
    end: OptionalText = Field(default=None, max_length=7)  # empty: still ongoing

    @field_validator("start")
    @classmethod
    def start_month(cls, value: str) -> str:
        return _month(value)

    @field_validator("end")
    @classmethod
    def end_month(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = _month(value)
        start = info.data.get("start")
        if value and start and value < start:
            raise ValueError("The end month must not be before the start month.")
        return value


class EducationEntry(_Period):
    school: RequiredText = Field(max_length=100)
    major: RequiredText = Field(max_length=100)
    degree: Degree


class ExperienceEntry(_Period):
    organization: RequiredText = Field(max_length=200)
    role: RequiredText = Field(max_length=100)
    description: Text = Field(default="", max_length=2000)


class ProjectEntry(_Period):
    name: RequiredText = Field(max_length=200)
    role: Text = Field(default="", max_length=100)
    description: Text = Field(default="", max_length=2000)


class ResumeUpdate(BaseModel):
    """The whole resume as the graduate saves it; omitted lists are saved empty."""

    headline: Text = Field(default="", max_length=120)
    self_intro: Text = Field(default="", max_length=3000)
    skills: Annotated[list[str], BeforeValidator(validation.tag_list)] = []
    education: list[EducationEntry] = Field(default=[], max_length=10)
    experience: list[ExperienceEntry] = Field(default=[], max_length=20)
    projects: list[ProjectEntry] = Field(default=[], max_length=20)
    expected_districts: list[str] = Field(default=[], max_length=16)
    expected_kinds: list[PositionKind] = Field(default=[], max_length=3)
    expected_salary_min: Annotated[int | None, BeforeValidator(_blank_to_none)] = Field(default=None, ge=0, le=1_000_000)
    expected_salary_max: Annotated[int | None, BeforeValidator(_blank_to_none)] = Field(default=None, ge=0, le=1_000_000)

    @field_validator("expected_districts", mode="before")
    @classmethod
    def districts(cls, value: object) -> list[str]:
        values = value if isinstance(value, list) else ([value] if value else [])
        return list(dict.fromkeys(validation.district(str(v)) for v in values))

    @field_validator("expected_kinds", mode="before")
    @classmethod
    def kinds(cls, value: object) -> list:
        values = value if isinstance(value, list) else ([value] if value else [])
        if not all(isinstance(v, str) for v in values):
            return values  # the type check refuses them (422), rather than dict.fromkeys tripping over a list (500)
        return list(dict.fromkeys(values))

    @field_validator("expected_salary_max")
    @classmethod
    def salary_order(cls, high: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("expected_salary_min")
        if low is not None and high is not None and low > high:
            raise ValueError("The highest expected salary must not be below the lowest.")
        return high


class ProfileUpdate(BaseModel):
    """The graduate's own profile fields. The school, student number, degree and graduation year are the school's
    to keep (portal/enrolment): a change of them is asked for there."""

    major: Text = Field(min_length=1, max_length=100)
    phone: OptionalText = Field(default=None, max_length=20)
    district: OptionalText = Field(default=None, max_length=20)
    discoverable: bool = False
    # Sensitive: shown only to the graduate and officers in scope; matching then proposes accessible workplaces only.
    needs_accessible: bool = False
    accessibility_note: OptionalText = Field(default=None, max_length=500)

    @field_validator("phone")
    @classmethod
    def phone_number(cls, value: str | None) -> str | None:
        return validation.phone(value) if value else None

    @field_validator("district")
    @classmethod
    def home_district(cls, value: str | None) -> str | None:
        return validation.district(value) if value else None


class ProfilePublic(BaseModel):
    display_name: str
    email: str
    school: str
    student_number: str
    major: str
    degree: str
    graduation_year: int
    phone: str | None
    district: str | None
    discoverable: bool


class ResumePublic(BaseModel):
    id: int | None
    graduate_id: int
    headline: str
    self_intro: str
    skills: list[str]
    education: list[EducationEntry]
    experience: list[ExperienceEntry]
    projects: list[ProjectEntry]
    expected_districts: list[str]
    expected_kinds: list[str]
    expected_salary_min: int | None
    expected_salary_max: int | None
    has_pdf: bool
    pdf_original_name: str | None
    pdf_size: int | None
    updated_at: datetime | None


class VerifiedSkillPublic(BaseModel):
    skill: str
    certificate: str
    certificate_number: str | None
    issuer: str
    verified_at: datetime


class ResumeWithProfile(BaseModel):
    profile: ProfilePublic
    resume: ResumePublic
    verified_skills: list[VerifiedSkillPublic] = []
