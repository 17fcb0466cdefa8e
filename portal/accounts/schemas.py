from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field, ValidationInfo, field_validator

from portal import reference
from portal.accounts.models import Degree
from portal.security import MIN_PASSWORD_LENGTH


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class TokenRequest(Credentials):
    name: str | None = Field(default=None, max_length=100, description="What the token is for, to tell it apart later")


class NewPassword(BaseModel):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)


class SchoolDegree(BaseModel):
    """A school and a degree it awards: a secondary vocational or technical school's own level, a university's
    higher-education degree (the school field comes first, so it is there when the degree is checked)."""

    @field_validator("degree", check_fields=False)
    @classmethod
    def degree_of_the_school(cls, value: Degree, info: ValidationInfo) -> Degree:
        school = info.data.get("school")
        if school and not reference.degree_fits_school(school, value):
            raise ValueError("This school does not award that degree.")
        return value


class GraduateSignup(SchoolDegree, Credentials):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)
    display_name: str = Field(min_length=1, max_length=100)
    school: str = Field(min_length=2, max_length=100)
    student_number: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
    major: str = Field(min_length=1, max_length=100)
    degree: Degree
    graduation_year: int = Field(ge=2000, le=2100)

    @field_validator("display_name", "school", "major", "student_number")
    @classmethod
    def strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("This field is required.")
        return value


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)


class OfficerCreate(Credentials):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)
    display_name: str = Field(min_length=1, max_length=100)
    schools: list[str] = []
    districts: list[str] = []
    city_wide: bool = False


class UserPublic(BaseModel):
    id: int
    email: str
    role: str
    display_name: str
    created_at: datetime


class SignupRequested(BaseModel):
    email: str
    detail: str = "Check this mailbox: it has a link to finish signing up, or a note if it already has an account."


# Every sign-up that waits for its address (all of them outside a developer's machine without mail) answers this,
# whether or not the address has an account.
SIGNUP_REQUESTED = {202: {"model": SignupRequested, "description": "The address confirms the sign-up: a link went to "
                                                                   "it, or a note that it has an account"}}


class ApiTokenPublic(BaseModel):
    id: int
    name: str | None
    ip: str | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class StaffUpdate(BaseModel):
    """What an administrator sets for an officer or administrator: name, role, and the scope they look after."""

    display_name: str = Field(min_length=1, max_length=100)
    role: Literal["officer", "admin"]
    schools: list[str] = []
    districts: list[str] = []
    city_wide: bool = False

    @field_validator("schools")
    @classmethod
    def known_schools(cls, value: list[str]) -> list[str]:
        if set(value) - set(reference.SCHOOLS):
            raise ValueError("Choose schools from the list.")
        return value

    @field_validator("districts")
    @classmethod
    def known_districts(cls, value: list[str]) -> list[str]:
        if set(value) - set(reference.TIANJIN_DISTRICTS):
            raise ValueError("Choose districts from the list.")
        return value


class StaffCreate(StaffUpdate, OfficerCreate):
    """A new staff account: an email and a first password besides what StaffUpdate sets."""
