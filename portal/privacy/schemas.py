from pydantic import BaseModel, Field, field_validator

from portal.validation import CleanInput


class DeletionRequest(CleanInput):
    password: str = Field(min_length=1, max_length=200)
    confirm: bool = Field(default=False, validate_default=True)

    @field_validator("confirm")
    @classmethod
    def must_confirm(cls, confirmed: bool) -> bool:
        if not confirmed:
            raise ValueError("Tick the box to confirm that you want to delete your account.")
        return confirmed


class DataExport(BaseModel):
    generated_at: str
    account: dict
    records: dict[str, list[dict]]


class AccessPublic(BaseModel):
    at: str
    who: str
    role: str
    action: str
    looked: bool
