from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    # title and body are English msgids, translated when shown, with params filled in then.
    title: str = Field(max_length=200)
    body: str = ""
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None
