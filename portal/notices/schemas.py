import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from portal.notices.models import NoticeKind

TAG = re.compile(r"^[\w\u4e00-\u9fff-]{1,20}$")
MAX_TAGS = 8


def clean_tags(value: str | list[str] | None) -> list[str]:
    """Tags typed as one line ("就业补贴, 见习 户籍") or sent as a list, normalised and unique."""
    items = re.split(r"[,，、\s]+", value) if isinstance(value, str) else (value or [])
    tags = list(dict.fromkeys(item.strip().lstrip("#").lower() for item in items if item and item.strip()))
    if len(tags) > MAX_TAGS:
        raise ValueError("At most 8 tags.")
    if any(not TAG.match(tag) for tag in tags):
        raise ValueError("A tag has up to 20 letters, digits or Chinese characters.")
    return tags


class NoticeCreate(BaseModel):
    kind: NoticeKind
    title: str = Field(min_length=2, max_length=120)
    body: str = Field(min_length=1, max_length=100_000)  # HTML, sanitised by the service
    tags: list[str] = Field(default_factory=list)

    @field_validator("tags", mode="before")
    @classmethod
    def split_tags(cls, value):
        return clean_tags(value)


class TagChoice(BaseModel):
    tag: str = Field(min_length=1, max_length=20)

    @field_validator("tag")
    @classmethod
    def one_tag(cls, value: str) -> str:
        tags = clean_tags(value)
        if len(tags) != 1:
            raise ValueError("A tag has up to 20 letters, digits or Chinese characters.")
        return tags[0]


class AttachmentPublic(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class NoticePublic(BaseModel):
    id: int
    kind: str
    title: str
    body_html: str
    tags: list[str]
    published_at: datetime
    attachments: list[AttachmentPublic]


class NoticePage(BaseModel):
    items: list[NoticePublic]
    total: int
    page: int
    pages: int
