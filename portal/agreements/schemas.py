from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from portal.validation import RowId


class AgreementTerms(BaseModel):
    """What the employer fills in on the city's template."""

    position_title: str = Field(min_length=1, max_length=120)
    salary_monthly: int = Field(ge=1, le=1_000_000)
    probation_months: int = Field(ge=0, le=6)  # Labour Contract Law art. 19 caps probation at six months
    start_date: date
    work_place: str = Field(min_length=2, max_length=300)
    breach_terms: str = Field(default="", max_length=4000)
    extra_clauses: str = Field(default="", max_length=8000)

    @field_validator("position_title", "work_place", "breach_terms", "extra_clauses")
    @classmethod
    def strip(cls, value: str) -> str:
        return value.strip()


class AgreementDraftCreate(AgreementTerms):
    application_id: RowId

    def terms(self) -> AgreementTerms:
        return AgreementTerms.model_validate(self.model_dump(exclude={"application_id"}))


class SignRequest(BaseModel):
    """Re-confirmation: the password, or a one-time code sent by email."""

    password: str | None = Field(default=None, max_length=200)
    code: str | None = Field(default=None, pattern=r"^\s*\d{6}\s*$")
    acknowledge_flags: bool = False

    @field_validator("password", "code", mode="before")
    @classmethod
    def blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def password_or_code(self) -> "SignRequest":
        if not (self.password or self.code):
            raise ValueError("Enter your password or a one-time code.")
        return self


class TemplateVersion(BaseModel):
    """A new version of the city's agreement template."""

    name: str = Field(min_length=1, max_length=200)
    standard_clauses: str = Field(min_length=10, max_length=50_000)
    default_breach_terms: str = Field(default="", max_length=10_000)

    @field_validator("name", "standard_clauses", "default_breach_terms", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


class CancellationCreate(BaseModel):
    reason: str = Field(min_length=2, max_length=2000)


class CancellationDecision(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=2000)


class SignaturePublic(BaseModel):
    party: str
    signer_id: int
    signed_at: datetime
    hash_before: str
    hash_after: str
    timestamped: bool


class FlagPublic(BaseModel):
    code: str
    message: str


class AgreementPublic(BaseModel):
    id: int
    number: str
    status: str
    application_id: int
    graduate_id: int
    organization_id: int
    school: str
    position_title: str
    salary_monthly: int
    probation_months: int
    start_date: date
    work_place: str
    breach_terms: str
    extra_clauses: str
    parties: dict
    document_sha256: str | None
    verify_url: str
    next_party: str | None
    created_at: datetime
    signed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    signatures: list[SignaturePublic]


class SignatureCheckPublic(BaseModel):
    field_name: str
    signer: str
    signer_organization: str
    signer_role: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    timestamp_trusted: bool | None = None
    intact: bool
    covers_whole_document: bool
    later_changes_allowed: bool
    trusted: bool | None
    valid: bool
    problems: list[str]


class ChangePublic(BaseModel):
    revision: int
    message: str


class VerificationPublic(BaseModel):
    sha256: str
    valid: bool  # every signature is valid and nothing but the parties' signatures was added after the first
    modified: bool  # something other than the signing flow changed the file after a signature
    verdict: str  # valid, not_final, modified or invalid
    verdict_message: str
    error: str | None
    revisions: int
    unsigned_fields: list[str]  # the parties' declared signature fields still empty in this file
    changes: list[ChangePublic]  # what was added after signing that signing does not add
    signatures: list[SignatureCheckPublic]
    agreement_number: str | None = None
    agreement_status: str | None = None  # only when the file is the agreement's document as it stands
    record_version: str | None = None  # final, current, earlier or modified
    record_revision: int | None = None
    record_message: str | None = None
