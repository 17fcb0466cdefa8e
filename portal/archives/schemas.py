"""What people, agencies and officers send about personnel files in custody, and what the API shows of it."""
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from portal import validation
from portal.archives.models import (
    CONTENTS_CHECKLIST,
    ApplicantKind,
    FileServiceKind,
    FileSource,
)
from portal.validation import CleanInput, RowId

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number(value: str) -> str:
    """A resident identity card number (GB 11643): 17 digits and its check character."""
    value = value.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not value[17].isdigit() and value[17] != "X" \
            or _ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS)) % 11] != value[17]:
        raise ValueError("Enter the 18 characters of a resident identity card number.")
    return value


def _stripped(value: object) -> object:
    # Only text is stripped; anything else (a list, a number) goes on to the type check, which refuses it (422).
    return (value or "").strip() if isinstance(value, str) or value is None else value


class AgencyCreate(CleanInput):
    name: str = Field(min_length=4, max_length=120)
    district: Annotated[str, AfterValidator(validation.district)]
    address: str = Field(min_length=4, max_length=300)
    phone: Annotated[str, AfterValidator(validation.phone)]

    _strip = field_validator("name", "address", mode="before")(_stripped)


class AgencyOfficerAdd(CleanInput):
    email: EmailStr


class CustodyApplication(CleanInput):
    agency_id: RowId
    applicant_kind: ApplicantKind
    id_number: Annotated[str, AfterValidator(id_number)]
    phone: Annotated[str, AfterValidator(validation.phone)]
    abroad_country: str = Field(default="", max_length=60)
    file_source: FileSource
    file_holder: str = Field(default="", max_length=200)

    _strip = field_validator("abroad_country", "file_holder", mode="before")(_stripped)

    @model_validator(mode="after")
    def _what_each_case_needs(self) -> "CustodyApplication":
        if self.applicant_kind != ApplicantKind.no_employer and not self.abroad_country:
            raise ValueError("Say which country you are going to.")
        if self.file_source == FileSource.elsewhere and not self.file_holder:
            raise ValueError("Say who keeps your file now.")
        return self


class Decision(CleanInput):
    accept: bool
    note: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _reason_to_refuse(self) -> "Decision":
        if not self.accept and len(self.note.strip()) < 2:
            raise ValueError("Give a reason the applicant will see.")
        return self


class Contents(CleanInput):
    """What the file holds (the checklist) and where it is kept."""

    contents: list[str] = Field(default_factory=list, max_length=len(CONTENTS_CHECKLIST))
    location: str = Field(min_length=2, max_length=100)

    _strip = field_validator("location", mode="before")(_stripped)

    @field_validator("contents")
    @classmethod
    def _known_items(cls, value: list[str]) -> list[str]:
        if set(value) - set(CONTENTS_CHECKLIST):
            raise ValueError("Choose items from the list.")
        return [item for item in CONTENTS_CHECKLIST if item in value]


class ServiceRequest(CleanInput):
    kind: FileServiceKind
    details: str = Field(default="", max_length=1000)
    receiving_unit: str = Field(default="", max_length=200)
    receiving_address: str = Field(default="", max_length=300)

    _strip = field_validator("details", "receiving_unit", "receiving_address", mode="before")(_stripped)

    @model_validator(mode="after")
    def _what_each_kind_needs(self) -> "ServiceRequest":
        if self.kind in (FileServiceKind.political_review, FileServiceKind.transfer_out) and not (
                self.receiving_unit and self.receiving_address):
            raise ValueError("Name the employer and the address the materials go to.")
        if self.kind == FileServiceKind.lost_item and len(self.details) < 2:
            raise ValueError("Say what is missing.")
        return self


class ServiceAnswer(CleanInput):
    """The agency's answer: a note along the way, done (with the tracking number of what it posted), or refused."""

    outcome: Literal["follow_up", "done", "refused"]
    answer: str = Field(default="", max_length=1000)
    tracking_number: str = Field(default="", max_length=60)

    _strip = field_validator("answer", "tracking_number", mode="before")(_stripped)


class StepPublic(BaseModel):
    kind: str
    note: str | None
    tracking_number: str | None
    created_at: datetime


class ServicePublic(BaseModel):
    id: int
    kind: str
    status: str
    details: str
    receiving_unit: str | None
    tracking_number: str | None
    certificate_number: str | None
    answer: str | None
    created_at: datetime


class FilePublic(BaseModel):
    """The person's view of their file: its story and what they asked, never its contents."""

    id: int
    agency_name: str
    applicant_kind: str
    status: str
    archive_number: str | None
    file_source: str
    created_at: datetime
    steps: list[StepPublic]
    services: list[ServicePublic]
