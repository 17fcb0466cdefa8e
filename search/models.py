from datetime import datetime

from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class SearchOutbox(SQLModel, table=True):
    """A change that the index has yet to learn; written in the same transaction as the change."""

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=20)  # "position" or "resume"
    entity_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
