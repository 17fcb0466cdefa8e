from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class NoticeKind(StrEnum):
    policy = "policy"
    news = "news"
    guide = "guide"


class Notice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    title: str = Field(max_length=120)
    body_html: str  # sanitised when saved
    body_text: str = ""  # the body without markup, for search
    author_id: int = Field(foreign_key="user.id")
    published_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class NoticeTag(SQLModel, table=True):
    notice_id: int = Field(foreign_key="notice.id", primary_key=True)
    tag: str = Field(max_length=20, primary_key=True, index=True)


class NoticeAttachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    storage_key: str = Field(max_length=200)


class TagFollow(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "tag"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    tag: str = Field(max_length=20, index=True)
