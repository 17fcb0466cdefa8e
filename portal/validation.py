"""Field checks shared by the schemas of several domains."""
import re
from typing import Annotated

from pydantic import BaseModel, Field, field_validator, model_validator

from portal.reference import TIANJIN_DISTRICTS

# Row ids are PostgreSQL integers: a larger number is refused as bad input rather than failing in the database.
MAX_ROW_ID = 2_147_483_647
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if not _PHONE.match(value):
        raise ValueError("Enter a mobile number (11 digits) or a landline such as 022-23456789.")
    return value


def district(value: str) -> str:
    if value not in TIANJIN_DISTRICTS:
        raise ValueError("Choose a district of Tianjin.")
    return value


def tag_list(value: object) -> list[str]:
    """Accepts a list or a comma/顿号-separated string; trims, drops blanks and repeats, keeps order."""
    items = value if isinstance(value, list) else re.split(r"[,，、;；\n]", str(value or ""))
    seen: dict[str, None] = {}
    for item in items:
        item = str(item).strip()
        if item:
            seen.setdefault(item[:40], None)
    return list(seen)[:30]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class CleanInput(BaseModel):
    """Refuses NUL characters anywhere in the input: no person types them and PostgreSQL cannot store them."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data):
        if _has_nul(data):
            raise ValueError("The text contains characters that are not allowed.")
        return data


class ReasonForEmployer(CleanInput):
    """An officer's refusal or suspension: the reason, which the employer reads."""

    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _explained(cls, value: str) -> str:
        value = (value or "").strip()
        if len(value) < 2:
            raise ValueError("Give a reason the employer will see.")
        return value
