"""What employers and officers send and receive about organisations and recruiter accounts."""
from datetime import datetime

from pydantic import BaseModel, EmailStr, Field, field_validator, model_validator

from portal import validation
from portal.employers import uscc as uscc_codes
from portal.reference import INDUSTRIES, ORGANIZATION_SIZES
from portal.security import MIN_PASSWORD_LENGTH
from portal.validation import CleanInput


def _required_text(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError("This field is required.")
    return value


class OrganizationProfile(CleanInput):
    """What an organisation says about itself; everything but its credit code."""

    name: str = Field(min_length=2, max_length=200, description="Registered name, as on the business licence")
    industry: str
    size: str
    district: str
    address: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    contact_name: str = Field(min_length=1, max_length=100)
    contact_phone: str = Field(min_length=1, max_length=20)

    @field_validator("name", "contact_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return _required_text(value)

    @field_validator("address", "description")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None

    @field_validator("industry")
    @classmethod
    def _industry(cls, value: str) -> str:
        if value not in INDUSTRIES:
            raise ValueError("Choose an industry.")
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if value not in ORGANIZATION_SIZES:
            raise ValueError("Choose the number of employees.")
        return value

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        return validation.district(value)

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return validation.phone(value)


class OrganizationFields(OrganizationProfile):
    uscc: str = Field(min_length=1, max_length=40, description="Unified social credit code (GB 32100-2015)")

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        try:
            return uscc_codes.validate(value)
        except uscc_codes.InvalidUSCC as error:
            raise ValueError(str(error)) from None


class OrganizationUpdate(OrganizationProfile):
    """The owner's edit of the profile. The registered name changes only before verification."""

    contact_email: EmailStr


class OrganizationSignup(OrganizationFields):
    """An organisation and its first recruiter account (the owner), created together."""

    email: EmailStr = Field(description="The owner's sign-in email")
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)
    contact_email: EmailStr | None = Field(default=None, description="Defaults to the sign-in email")

    @model_validator(mode="before")
    @classmethod
    def _blank_contact_email(cls, data):
        if isinstance(data, dict) and isinstance(data.get("contact_email") or "", str) and not (data.get("contact_email") or "").strip():
            data = {**data, "contact_email": None}
        return data


class RecruiterCreate(CleanInput):
    email: EmailStr
    display_name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)

    @field_validator("display_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return _required_text(value)


class SuspendRequest(validation.ReasonForEmployer):
    pass


class OrganizationPublic(BaseModel):
    """What anyone may see about an organisation."""

    id: int
    name: str
    industry: str
    size: str
    district: str
    address: str | None
    description: str | None
    status: str
    verified_at: datetime | None


class OrganizationPrivate(OrganizationPublic):
    """What its own recruiters and officers see."""

    uscc: str
    contact_name: str
    contact_phone: str
    contact_email: str
    status_reason: str | None
    created_at: datetime


class OrganizationPage(BaseModel):
    items: list[OrganizationPrivate]
    total: int
    page: int
    pages: int


class RecruiterPublic(BaseModel):
    user_id: int
    email: str
    display_name: str
    is_owner: bool
    is_active: bool


class OrganizationSignupResult(BaseModel):
    organization: OrganizationPrivate
    owner: RecruiterPublic


class Responsiveness(BaseModel):
    applications: int = Field(description="Applications received in the window (withdrawn-before-reply excluded)")
    responded: int
    response_rate: float | None = Field(description="0..1, or null when there are too few applications to say")
    typical_response_hours: float | None = Field(description="Median hours to the first response")
    window_days: int
