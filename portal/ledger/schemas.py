"""Forms and API shapes of the support ledger. Categories and sensitive notes appear only in officer-facing shapes."""
from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from portal.validation import RowId


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return value  # not a list: let the field's own validation refuse it


def _no_control(value):
    if isinstance(value, str):
        if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            raise ValueError("Control characters are not allowed.")
    elif isinstance(value, dict):
        for item in value.values():
            _no_control(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _no_control(item)


class _Clean(BaseModel):
    """Every ledger form and body: no NUL or other control characters reach the database."""

    @model_validator(mode="before")
    @classmethod
    def no_control_characters(cls, data):
        _no_control(data)
        return data


class _Lists(_Clean):
    @field_validator("categories", "preferred_districts", mode="before", check_fields=False)
    @classmethod
    def lists(cls, value):
        return _as_list(value)


class EnrolForm(_Lists):
    graduate: str = Field(min_length=1, max_length=254)  # email, or "school/student number"
    categories: list[str] = Field(min_length=1)
    evidence: str = Field(min_length=1, max_length=2000)
    consent_given: bool = False
    consent_note: str = Field(default="", max_length=1000)
    preferred_districts: list[str] = []
    needs_accessible: bool = False
    family_income_note: str = Field(default="", max_length=1000)


class EnrolCreate(_Lists):
    """API: enrol a graduate by id."""
    graduate_id: RowId
    categories: list[str] = Field(min_length=1)
    evidence: str = Field(min_length=1, max_length=2000)
    consent_given: bool
    consent_note: str = Field(default="", max_length=1000)
    preferred_districts: list[str] = []
    needs_accessible: bool = False
    family_income_note: str | None = Field(default=None, max_length=1000)


class CaseUpdateForm(_Lists):
    categories: list[str] = Field(min_length=1)
    evidence: str = Field(min_length=1, max_length=2000)
    preferred_districts: list[str] = []
    needs_accessible: bool = False
    family_income_note: str = Field(default="", max_length=1000)


class ContactForm(_Clean):
    contacted_on: date
    channel: str = Field(pattern=r"^(phone|visit|meeting|message|email)$")
    who: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=2000)
    agreed: str = Field(default="", max_length=2000)


class MeasureForm(_Clean):
    kind: str = Field(pattern=r"^(job_recommendation|guidance_session|skills_training|subsidy|mental_health|accommodation)$")
    description: str = Field(min_length=1, max_length=1000)
    target_date: date


class MeasureStatusForm(_Clean):
    status: str = Field(pattern=r"^(planned|in_progress|done|cancelled)$")
    outcome: str = Field(default="", max_length=1000)


class CloseForm(_Clean):
    note: str = Field(min_length=1, max_length=500)


class SupportRequestForm(_Lists):
    categories: list[str] = Field(min_length=1)
    statement: str = Field(default="", max_length=2000)
    preferred_districts: list[str] = []
    needs_accessible: bool = False
    consent_given: bool = False


class DecisionForm(_Clean):
    decision: str = Field(pattern=r"^(approve|decline)$")
    evidence: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=1000)


class CategoryForm(_Clean):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[a-z0-9_]+$")
    label_zh: str = Field(min_length=1, max_length=100)
    label_en: str = Field(min_length=1, max_length=100)
    needs_accessible: bool = False


# ---- API read shapes ------------------------------------------------------------------------------------------------
class OfferPublic(BaseModel):
    """An offered position, as the graduate sees it: never a category."""
    id: int
    position_id: int
    title: str
    organization: str
    district: str
    salary_min: int
    salary_max: int
    deadline: date
    status: str
    fit: int
    reasons: dict
    application_id: int | None = None
    application_status: str | None = None


class SupportPublic(BaseModel):
    enrolled: bool
    request_pending: bool
    offers: list[OfferPublic]


class CaseSummary(BaseModel):
    id: int
    graduate_id: int
    name: str
    school: str
    major: str
    district: str | None
    status: str
    categories: list[str]
    offers_held: int
    shortfall_reason: str | None
    shortfall: str = ""
    opened_at: datetime
    closed_at: datetime | None = None


class CaseList(BaseModel):
    total: int
    items: list[CaseSummary]


class TopUpResult(BaseModel):
    cases: int
    topped_up: int
    offers_created: int
    lapsed: int
    holding: int
    shortfall: int
    share_holding: float
    reasons: dict
    seconds: float
    matcher: bool
